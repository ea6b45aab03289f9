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

    Import-Module (Join-Path $PSScriptRoot 'HostileCorpus.psm1') -Force
    $script:File = Join-Path $TestDrive 'fuzz.csv'
    $script:Corpus = New-HostileCorpus $script:File
    $script:Rows = $script:Corpus.Rows
    $script:Emails = $script:Corpus.Emails
    $script:Phones = $script:Corpus.Phones
    $script:Secrets = $script:Corpus.Secrets
    $script:FreeText = $script:Corpus.FreeText
    $columns = $script:Corpus.Columns

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

    function New-Objects { New-HostileCorpusObjects $script:Corpus }

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
