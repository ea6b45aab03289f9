# Issue 17's "Done when" corpus: generated rows (deterministic seed) with random and boundary values in every field,
# through all four row cmdlets on both routes (objects and -Path files), Send against the real sandbox. Asserts: no
# terminating error, no error id that is not one of the module's, a summary for every run, and none of the corpus's
# own emails and phones in plain text in any stream or file.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    # Visible to this file when it runs alone, too (Import-TestModule imports into the helper module's scope).
    if (-not (Get-Command Send-OfflineEvent -ErrorAction Ignore)) { Import-Module $env:OEPS_TEST_MODULE -Global -ErrorAction Stop }
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $script:Set = (New-OfflineEventSet -Name "fuzz $(New-Guid)").EventSetId

    $random = [Random]::new(20261201)
    function Pick([object[]] $From) { $From[$random.Next($From.Count)] }
    $now = [DateTimeOffset]::UtcNow

    # The identifiers the corpus uses, each with the plain texts that must never be seen.
    $script:Emails = 1..40 | ForEach-Object { "Fz$_.Person@Fuzz-Mail.test" }
    $script:Phones = 1..40 | ForEach-Object {
        $n = '{0:000}' -f (100 + $_)
        Pick @("+12133734$n", "(213) 373-4$n", "213.373.4$n", "2133734$n", "+1 213 373 4$n")
    }
    $script:Secrets = @($script:Emails | ForEach-Object { $_; $_.Split('@')[0] }) +
        @(1..40 | ForEach-Object { '2133734{0:000}' -f (100 + $_) }) + @($script:Phones | Where-Object { $_ -match '[ ().-]' })

    $columns = 'event_type', 'email', 'phone', 'timestamp', 'price', 'currency', 'transaction_category', 'order_id', 'quantity',
        'product_id', 'product_category', 'store_id', 'external_id'
    # Columns whose values a valid row carries through as given (into upload files, into ConvertTo-HashedPii's objects):
    # an identifier there is the row's own data. Everywhere else it is hashed, or its row is rejected with it masked.
    $script:FreeText = 'transaction_category', 'order_id', 'product_id', 'product_category', 'store_id'
    $hostile = @('', ' ', "`t", ('x' * 5000), 'Ünïcødé ✓ 😀', "nul`0char", "bell`a", '"quoted"', 'a"b', 'a,b', "two`nlines",
        '=1+1', '+cmd', '-2', '@SUM(A1)', "`r=x", '    padded    ', 'null', 'NaN', ([string][char]0x202E) + 'rtl')
    $pool = @{
        event_type  = @('Purchase', 'Complete Payment', 'CompletePayment', 'add_to_cart', 'Lead', 'Add to Crat', ('Purchase' * 9), 'Refund')
        email       = @($script:Emails) + @('broken@', '@nope', 'a@b', ' SPACED@Example.com ', ('a' * 300 + '@x.com'))
        phone       = @($script:Phones) + @('+1 123', '00', '+999999999999999999', '(213) 555-01', '0044 20 7946 0958')
        timestamp   = @($now.AddHours(-3).ToString('yyyy-MM-ddTHH:mm:ssZ'), $now.AddDays(-2).ToString('yyyy-MM-ddTHH:mm:ss.fffzzz'),
            $now.AddHours(-5).ToString('yyyy-MM-ddTHH:mm:ss'), '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-14:00',
            '0001-01-01T00:00:00', '9999-12-31T23:59:59', '1970-01-01T00:00:00Z', '2000-01-01T00:00:00Z', '1999-12-31T23:59:59Z',
            $now.AddDays(3).ToString('o'), '2026-02-30T10:00:00Z', '11/20/2026', '2026-11-20T24:00:00Z', '2026-03-29T02:30:00',
            '2026-11-20T10:00:00+15:00', '0000-01-01T00:00:00Z')
        price       = @('0', '10', '12.50', '999999999999.999', '1000000000000', '99999999999', '1.2345', '1e5', '-1', '(5)', '1,234.50',
            '12,5', '$5', '79228162514264337593543950335', '7922816251426433759354395033599', '.5', '5.', '0000000000000000000001')
        currency    = @('USD', 'usd', ' eur ', 'AMD', 'XYZ', 'EURO', 'US$')
        quantity    = @('1', '2', '2147483647', '2147483648', '9223372036854775807', '99999999999999999999999', '0', '-1', '1.5', '1e3')
        external_id = @('user_1', ('a' * 257), '848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f')
    }
    foreach ($c in $script:FreeText) { $pool[$c] = @('retail', 'A-1', 'SKU-9', 'shoes', 'store_1', ('z' * 300)) }

    $good = @{
        event_type = 'Purchase'; timestamp = $now.AddHours(-3).ToString('yyyy-MM-ddTHH:mm:ssZ'); price = '19.99'; currency = 'USD'
        transaction_category = 'retail'; quantity = '1'; product_id = 'SKU-1'; product_category = 'shoes'; store_id = 'store_1'; external_id = 'user_7'
    }
    $script:Rows = [Collections.Generic.List[object[]]]::new()
    for ($r = 0; $r -lt 300; $r++) {
        # A good row (its own email and phone, order id), then one to four fields drawn from the boundary and hostile
        # values of their column, hostile values of any column, and the corpus's identifiers; a fifth of rows stay good.
        $fields = [object[]]::new($columns.Count)
        for ($c = 0; $c -lt $columns.Count; $c++) {
            $fields[$c] = switch ($columns[$c]) { 'email' { Pick $script:Emails } 'phone' { Pick $script:Phones } 'order_id' { "F-$r" } default { $good[$_] } }
        }
        $changes = if ($random.NextDouble() -lt 0.2) { 0 } else { $random.Next(1, 5) }
        for ($k = 0; $k -lt $changes; $k++) {
            $c = $random.Next($columns.Count)
            $roll = $random.NextDouble()
            $fields[$c] = if ($roll -lt 0.55) { Pick $pool[$columns[$c]] }
            elseif ($roll -lt 0.8) { Pick $hostile }
            elseif ($roll -lt 0.9) { Pick $script:Emails }
            else { Pick $script:Phones }
        }
        # A tenth are shifted by an unquoted comma (a value split in two) or lose a field.
        $shift = $random.NextDouble()
        if ($shift -lt 0.07) {
            $at = $random.Next(1, 4)
            $fields = @($fields[0..($at - 1)]) + @('Doe') + @($fields[$at..($fields.Count - 1)])
        }
        elseif ($shift -lt 0.1) {
            $at = $random.Next(1, 4)
            $fields = @($fields[0..($at - 1)]) + @($fields[($at + 1)..($fields.Count - 1)])
        }
        $script:Rows.Add($fields)
    }

    # Identifiers that land in a free-text column of the final row may be carried through by a valid row, and so may
    # a phone's digits in price or quantity (2133734101 is a valid number: what TikTok gets is that number).
    $script:CarriedThrough = [Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
    foreach ($fields in $script:Rows) {
        for ($c = 0; $c -lt [Math]::Min($fields.Count, $columns.Count); $c++) {
            if ($columns[$c] -in $script:FreeText -or ($columns[$c] -in 'price', 'quantity' -and "$($fields[$c])".Trim() -match '^\d+$')) {
                [void]$script:CarriedThrough.Add("$($fields[$c])".Trim())
            }
        }
    }

    # Secrets inside a value a valid row may carry through (an email typed into order_id).
    $script:CarriedSecrets = [Collections.Generic.HashSet[string]]::new([StringComparer]::OrdinalIgnoreCase)
    foreach ($secret in $script:Secrets) {
        foreach ($value in $script:CarriedThrough) {
            if ($value.IndexOf($secret, [StringComparison]::OrdinalIgnoreCase) -ge 0) { [void]$script:CarriedSecrets.Add($secret); break }
        }
    }

    function Quote([string] $value) { if ($value -match '[",\r\n]' -or $value -ne $value.Trim()) { '"' + ($value -replace '"', '""') + '"' } else { $value } }
    $script:File = Join-Path $TestDrive 'fuzz.csv'
    $lines = @($columns -join ',') + @($script:Rows | ForEach-Object { ($_ | ForEach-Object { Quote "$_" }) -join ',' })
    [IO.File]::WriteAllText($script:File, ($lines -join "`n") + "`n", [Text.UTF8Encoding]::new($false))

    # The object route: the same rows as objects, some values typed as a pipeline would carry them.
    $typed = @(
        @{ timestamp = [DateTime]::MinValue }, @{ timestamp = [DateTime]::MaxValue }, @{ timestamp = [DateTimeOffset]::MinValue },
        @{ timestamp = [DateTime]::SpecifyKind([DateTime]::new(1, 1, 1), 'Utc') }, @{ price = 1e300 }, @{ price = [double]::NaN },
        @{ price = [decimal]::MaxValue }, @{ quantity = [long]::MaxValue }, @{ quantity = [int]::MaxValue }, @{ price = @{ amount = 5 } },
        @{ order_id = [pscustomobject]@{ id = 1 } }, @{ phone = @('+12133734101', '+12133734102') }, @{ email = $null }, @{ price = $true }
    )
    # New objects for every run: ConvertTo-HashedPii hashes the PSCustomObjects it is given in place.
    function New-Objects {
        for ($r = 0; $r -lt $script:Rows.Count; $r++) {
            $o = [ordered]@{}
            for ($c = 0; $c -lt $columns.Count; $c++) { $o[$columns[$c]] = if ($c -lt $script:Rows[$r].Count) { $script:Rows[$r][$c] } else { $null } }
            if ($r % 7 -eq 3) { $change = $typed[[Math]::Floor($r / 7) % $typed.Count]; foreach ($k in $change.Keys) { $o[$k] = $change[$k] } }
            [pscustomobject]$o
        }
    }

    # The module's error ids: named constants, the *Prefix ones followed by a rule id; ConvertTo-HashedPii's per rule.
    $ids = (Get-Command Send-OfflineEvent).ImplementingType.Assembly.GetType('OfflineEvents.PS.Infrastructure.ErrorIds').GetFields() |
        ForEach-Object { $_.GetRawConstantValue() }
    $script:ExactIds = @($ids | Where-Object { -not $_.EndsWith('.') })
    $script:PrefixIds = @($ids | Where-Object { $_.EndsWith('.') }) + 'OfflineEvents.Pii.'

    # Runs one cmdlet on one route, gathering every stream, any terminating error, and the files it wrote.
    function Invoke-Route([string] $Name, [scriptblock] $Run) {
        $records = [Collections.Generic.List[object]]::new()
        $terminating = $null
        # Non-terminating errors are what the corpus must produce; the suite runs with -ErrorAction Stop as its default.
        $ErrorActionPreference = 'Continue'
        try { & $Run *>&1 | ForEach-Object { $records.Add($_) } }
        catch { $terminating = $_ }
        [pscustomobject]@{ Name = $Name; Records = $records; Terminating = $terminating }
    }

    $rejects = { param($n) Join-Path $TestDrive "rejects-$n.csv" }
    $upload = { param($n) Join-Path $TestDrive "upload-$n.csv" }
    $options = @{ DefaultRegion = 'US'; TimeZone = 'Asia/Tokyo' }
    $clock = [Diagnostics.Stopwatch]::StartNew()
    $script:Runs = @(
        Invoke-Route 'Test -Path' { Test-OfflineEventFile -LiteralPath $script:File @options -Verbose }
        Invoke-Route 'Test pipeline' { Get-Item $script:File | Test-OfflineEventFile @options -Verbose }
        Invoke-Route 'ConvertTo-HashedPii objects' { (New-Objects) | ConvertTo-HashedPii -DefaultRegion US -SummaryVariable hashSummary -Verbose; $hashSummary }
        Invoke-Route 'ConvertTo-HashedPii Import-Csv' { Import-Csv $script:File | ConvertTo-HashedPii -DefaultRegion US -SummaryVariable hashSummary -Verbose; $hashSummary }
        Invoke-Route 'Send -Path' { Send-OfflineEvent -LiteralPath $script:File -EventSetId $script:Set -RejectPath (& $rejects 'send-path') @options -Verbose }
        Invoke-Route 'Send objects' { (New-Objects) | Send-OfflineEvent -EventSetId $script:Set -RejectPath (& $rejects 'send-objects') @options -Verbose }
        Invoke-Route 'Export -Path' { Export-OfflineEventFile (& $upload 'path') -LiteralInputPath $script:File -RejectPath (& $rejects 'export-path') @options -Verbose }
        Invoke-Route 'Export objects' { (New-Objects) | Export-OfflineEventFile (& $upload 'objects') -RejectPath (& $rejects 'export-objects') @options -Verbose }
    )
    $script:Elapsed = $clock.Elapsed

    # What a record shows a reader: its text, and for errors their message and target, for objects their properties.
    function Show($record) {
        if ($record -is [System.Management.Automation.ErrorRecord]) {
            "$record $($record.Exception.Message) $($record.ErrorDetails) " + ($record.TargetObject | ConvertTo-Json -Depth 4 -Compress -WarningAction SilentlyContinue)
        }
        elseif ($record -is [System.Management.Automation.InformationalRecord]) { "$record" }
        else { "$record " + ($record | ConvertTo-Json -Depth 4 -Compress -WarningAction SilentlyContinue) + ($record.Issues | Out-String) }
    }
    function Test-Leak([string] $Text, [bool] $RowOutput) {
        foreach ($secret in $script:Secrets) {
            if ($RowOutput -and $script:CarriedSecrets.Contains($secret)) { continue }
            if ($Text.IndexOf($secret, [StringComparison]::OrdinalIgnoreCase) -ge 0) { return $secret }
        }
    }
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'Fuzz corpus through every row cmdlet and route' {
    It 'is deterministic, hostile and small: 300 rows, shifted ones among them, every field drawn from its pool' {
        $script:Rows.Count | Should -Be 300
        @($script:Rows | Where-Object Count -NE 13).Count | Should -BeGreaterThan 10
        (Get-FileHash $script:File).Hash | Should -Not -BeNullOrEmpty
        $script:Elapsed.TotalSeconds | Should -BeLessThan 60
    }

    It '<Name>: no terminating error' -ForEach @(
        'Test -Path', 'Test pipeline', 'ConvertTo-HashedPii objects', 'ConvertTo-HashedPii Import-Csv', 'Send -Path', 'Send objects',
        'Export -Path', 'Export objects' | ForEach-Object { @{ Name = $_ } }
    ) {
        $run = $script:Runs | Where-Object Name -EQ $Name
        $run.Terminating | Should -BeNullOrEmpty -Because "$($run.Terminating) $($run.Terminating.ScriptStackTrace)"
    }

    It '<Name>: every error has one of the module''s error ids' -ForEach @(
        'Test -Path', 'Test pipeline', 'ConvertTo-HashedPii objects', 'ConvertTo-HashedPii Import-Csv', 'Send -Path', 'Send objects',
        'Export -Path', 'Export objects' | ForEach-Object { @{ Name = $_ } }
    ) {
        $run = $script:Runs | Where-Object Name -EQ $Name
        $errors = @($run.Records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        if ($Name -notlike 'Test*') { $errors.Count | Should -BeGreaterThan 0 -Because 'the corpus has bad rows' }
        foreach ($e in $errors) {
            $id = $e.FullyQualifiedErrorId.Split(',')[0]
            $known = $id -in $script:ExactIds -or @($script:PrefixIds | Where-Object { $id.StartsWith($_) -and $id.Length -gt $_.Length }).Count -gt 0
            $known | Should -BeTrue -Because "$Name wrote '$id': $e"
        }
    }

    It '<Name>: a summary of the run' -ForEach @(
        @{ Name = 'Test -Path'; Type = 'FileCheckResult' }
        @{ Name = 'Test pipeline'; Type = 'FileCheckResult' }
        @{ Name = 'ConvertTo-HashedPii objects'; Type = 'PiiHashSummary' }
        @{ Name = 'ConvertTo-HashedPii Import-Csv'; Type = 'PiiHashSummary' }
        @{ Name = 'Send -Path'; Type = 'DeliverySummary' }
        @{ Name = 'Send objects'; Type = 'DeliverySummary' }
        @{ Name = 'Export -Path'; Type = 'UploadExportResult' }
        @{ Name = 'Export objects'; Type = 'UploadExportResult' }
    ) {
        $run = $script:Runs | Where-Object Name -EQ $Name
        $summary = @($run.Records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationalRecord] })[-1]
        $summary.GetType().Name | Should -Be $Type
        switch ($Type) {
            'FileCheckResult' { $summary.Rows | Should -Be 300; $summary.Errors | Should -BeGreaterThan 0 }
            'DeliverySummary' { $summary.Read | Should -Be 300; $summary.Read | Should -Be ($summary.DeliveredRows + $summary.Skipped + $summary.Rejected + $summary.NotSentRows + $summary.Unidentified); $summary.Delivered | Should -BeGreaterThan 0 }
            'UploadExportResult' { $summary.Read | Should -Be 300; $summary.Read | Should -Be ($summary.Written + $summary.Rejected + $summary.Unidentified); $summary.Written | Should -BeGreaterThan 0 }
        }
    }

    It '<Name>: no plaintext email or phone of the corpus in any stream' -ForEach @(
        'Test -Path', 'Test pipeline', 'ConvertTo-HashedPii objects', 'ConvertTo-HashedPii Import-Csv', 'Send -Path', 'Send objects',
        'Export -Path', 'Export objects' | ForEach-Object { @{ Name = $_ } }
    ) {
        $run = $script:Runs | Where-Object Name -EQ $Name
        foreach ($record in $run.Records) {
            # ConvertTo-HashedPii writes the rows themselves, hashing only their PII columns: the rest comes back as given.
            $text = if ($Name -like 'ConvertTo-HashedPii*' -and $record.psobject.Properties['event_type']) { "$($record.email) $($record.phone) $($record.external_id)" } else { Show $record }
            $leak = Test-Leak $text $false
            $leak | Should -BeNullOrEmpty -Because ("$Name wrote '$leak' in $(Show $record)" -replace '[\x00-\x08\x0B\x0C\x0E-\x1F]', '?')
        }
    }

    It 'no plaintext email or phone of the corpus in any file written (reject files, upload parts)' {
        $files = @(Get-ChildItem $TestDrive -Filter '*.csv' | Where-Object Name -NE 'fuzz.csv')
        $files.Count | Should -BeGreaterOrEqual 6
        foreach ($file in $files) {
            $leak = Test-Leak (Get-Content $file -Raw) ($file.Name -like 'upload-*')
            $leak | Should -BeNullOrEmpty -Because "$($file.Name) holds '$leak'"
        }
    }

    It 'left no temporary files behind' {
        Get-ChildItem $TestDrive -Filter '*.tmp-*' | Should -BeNullOrEmpty
    }
}
