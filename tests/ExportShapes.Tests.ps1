# Issue 16 "Done when": the five export shapes (tests/ExportShapes.psm1) through Test-OfflineEventFile,
# Send-OfflineEvent and Export-OfflineEventFile with the documented map, over real HTTP to the sandbox; the ledger is
# checked against what each writer says its file holds. The maps are not typed in here: they are run from the recipes
# of Get-Help Send-OfflineEvent -Examples, and about_OfflineEvents is checked to carry the same text.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ExportShapes.psm1') -Force
    Import-TestModule
    # Visible to ExportShapes.psm1's recipe reader when this file runs alone, too.
    if (-not (Get-Command Send-OfflineEvent -ErrorAction Ignore)) { Import-Module $env:OEPS_TEST_MODULE -Global -ErrorAction Stop }
    function Sha([string] $text) {
        $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($text))
        [Convert]::ToHexString($bytes).ToLowerInvariant()
    }
    # E.164 by hand (independent of libphonenumber): '+' and digits, or the country code before a national number.
    function E164([string] $text, [string] $CountryCode) {
        $digits = $text -replace '\D'
        if ($text.Trim().StartsWith('+')) { "+$digits" } elseif ($digits.StartsWith('0')) { "+$CountryCode$($digits.Substring(1))" } else { "+$CountryCode$digits" }
    }
    function Get-Ledger([string] $Set) { @(Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$Set").payload }

    # The recipes as documented (Get-Help Send-OfflineEvent -Examples), run with the examples' file names pointed at this test's files.
    $script:Recipes = Get-ExportRecipe
    function Invoke-Recipe([string] $Name, [hashtable] $Files) { Invoke-ExportRecipe $script:Recipes $Name $Files }

    # What the ledger holds for one shape, against the writer's expectations: one event per order, its name, its
    # time in UTC, its value, its hashed identifiers.
    function Assert-Ledger($Ledger, $Expected, [string] $CountryCode) {
        $Ledger.Count | Should -Be @($Expected).Count
        @($Ledger.properties.order_id | Sort-Object) | Should -Be @($Expected.Key | Sort-Object)
        foreach ($x in $Expected) {
            $e = @($Ledger | Where-Object { $_.properties.order_id -eq $x.Key })
            $e.Count | Should -Be 1 -Because "order $($x.Key) is one event"
            $e = $e[0]
            $e.event | Should -Be $x.Event -Because $x.Key
            $e.event_time | Should -Be $x.Time.ToUnixTimeSeconds() -Because "$($x.Key) at $($x.Time.UtcDateTime.ToString('o'))"
            if ($x.Value -gt 0) { [decimal]$e.properties.value | Should -Be $x.Value -Because $x.Key }
            else { $e.properties.PSObject.Properties['value'] | Should -BeNullOrEmpty -Because "$($x.Key) has no value" }
            @($e.properties.contents).Count | Should -Be $x.Lines -Because "$($x.Key) has $($x.Lines) lines"
            $emails = @($x.Email | ForEach-Object { Sha $_.Trim().ToLowerInvariant() })
            $user = $e.user
            @($user.PSObject.Properties['email'] | Where-Object Value | ForEach-Object { $_.Value } | Sort-Object) | Should -Be @($emails | Sort-Object) -Because "$($x.Key)'s email"
            $phones = @($x.Phone | ForEach-Object { Sha (E164 $_ $CountryCode) } | Select-Object -Unique)
            $sent = @($user.PSObject.Properties['phone'] | Where-Object Value | ForEach-Object { $_.Value })
            @($sent | Sort-Object) | Should -Be @($phones | Sort-Object) -Because "$($x.Key)'s phones"
        }
    }

    # Sends one shape by both routes into two sets and checks each ledger; both routes give the same event ids.
    function Test-Shape([scriptblock] $ByPath, [scriptblock] $ByPipeline, $Expected, [string] $CountryCode) {
        $a = (New-OfflineEventSet -Name "shape path $(New-Guid)").EventSetId
        $b = (New-OfflineEventSet -Name "shape pipe $(New-Guid)").EventSetId
        $viaPath = & $ByPath $a
        $viaPipe = & $ByPipeline $b
        foreach ($s in $viaPath, $viaPipe) {
            $s.Delivered | Should -Be @($Expected).Count
            $s.Read | Should -Be ($s.DeliveredRows + $s.Skipped + $s.Rejected + $s.NotSentRows + $s.Unidentified)
        }
        $ledgerA = Get-Ledger $a
        $ledgerB = Get-Ledger $b
        Assert-Ledger $ledgerA $Expected $CountryCode
        Assert-Ledger $ledgerB $Expected $CountryCode
        @($ledgerA.event_id | Sort-Object) | Should -Be @($ledgerB.event_id | Sort-Object)
        $viaPath, $viaPipe
    }

    # Export by -InputPath and by pipeline: the same upload file, holding the expected emails' hashes.
    function Test-Export([hashtable] $Splat, [string] $Source, $Rows, $Expected, [hashtable] $FileParameters = @{}) {
        $one = Join-Path $TestDrive "upload-path-$(New-Guid).csv"
        $two = Join-Path $TestDrive "upload-pipe-$(New-Guid).csv"
        $byPath = Export-OfflineEventFile $one -InputPath $Source @FileParameters @Splat -ErrorAction SilentlyContinue
        $byPipe = $Rows | Export-OfflineEventFile $two @Splat -ErrorAction SilentlyContinue
        $byPath.Written | Should -Be $byPipe.Written
        (Get-Content $one -Raw) | Should -BeExactly (Get-Content $two -Raw)
        $upload = @(Import-Csv $one)
        $upload.Count | Should -BeGreaterThan 0
        $wanted = @($Expected.Email | Where-Object { $_ } | ForEach-Object { Sha $_.Trim().ToLowerInvariant() } | Sort-Object -Unique)
        $written = @($upload.email | Where-Object { $_ } | Sort-Object -Unique)
        $written.Count | Should -Be $wanted.Count
        if ($wanted.Count) { $written | Should -Be $wanted }
        (Get-Content $one -Raw) | Should -Not -Match '@'   # no plaintext email in any column
        $upload
    }

    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'The documented recipes' {
    It 'has a recipe for each of the five shapes in Get-Help Send-OfflineEvent -Examples, and about_OfflineEvents carries the same maps' {
        @($script:Recipes.Keys | Sort-Object) | Should -Be @('calls', 'excel', 'salesforce', 'shopify', 'square')
        $about = (Get-Help about_OfflineEvents | Out-String) -replace '\s+', ' '
        foreach ($r in $script:Recipes.Values) {
            $r.Code | Should -Match "@$($r.Splat) -EventSetId"
            foreach ($text in $r.Assignments) { $about | Should -Match ([regex]::Escape(($text -replace '\s+', ' '))) -Because "about_OfflineEvents shows the $($r.Splat) recipe" }
        }
        # The README's walkthrough uses the first recipe, as written.
        $readme = (Get-Content (Join-Path $PSScriptRoot '../README.md') -Raw) -replace '\s+', ' '
        $readme | Should -Match ([regex]::Escape(($script:Recipes['shopify'].Assignments[-1] -replace '\s+', ' ')))
    }
}

Describe 'A join by calculated properties' {
    It 'reads a calculated property whose script block output nothing (a walk-in sale: no customer) as empty, not as an object' {
        $now = [DateTimeOffset]::UtcNow.AddHours(-2).ToString('o')
        $rows = @([pscustomobject]@{ event_type = 'Purchase'; timestamp = $now; email = 'a@example.com'; Customer = '' }) |
            Select-Object *, @{ n = 'phone'; e = { if ($_.Customer) { '+12133734253' } } }
        $check = $rows | Test-OfflineEventFile
        $check.Errors | Should -Be 0
        $check.RuleCounts.Keys | Should -Not -Contain 'ValueNotScalar'
    }
}

Describe 'Export shapes through Test, Send and Export with the documented map' {
    It 'Shopify orders: one event per order, price per item, email of the first line for the whole order' {
        $file = Join-Path $TestDrive 'orders_export.csv'
        $expected = New-ShopifyOrdersExport $file
        $r = Invoke-Recipe shopify @{ 'orders_export.csv' = $file }
        $shopify = $r.shopify
        $check = Test-OfflineEventFile $file @shopify
        $check.IsValid | Should -BeTrue
        $check.Errors | Should -Be 0
        $check.Rows | Should -Be ($expected.Lines | Measure-Object -Sum).Sum
        # Order lines beyond the first carry no identifier of their own: counted by Test, sent with their order.
        $summaries = Test-Shape { param($set) Send-OfflineEvent -Path $file @shopify -EventSetId $set } `
            { param($set) Import-Csv $file | Send-OfflineEvent @shopify -EventSetId $set } `
            @($expected | Where-Object { $_.Email -or $_.Phone }) 1
        $summaries[0].Unidentified | Should -Be ($expected | Where-Object { -not ($_.Email -or $_.Phone) } | Measure-Object Lines -Sum).Sum   # rows
        Test-Export $shopify $file (Import-Csv $file) @($expected | Where-Object { $_.Email -or $_.Phone }) | Out-Null
    }

    It 'Square item sales joined to the customer export: Date, Time and a Rails zone; Refund skipped; money as $4.75' {
        $items = Join-Path $TestDrive 'items.csv'
        $customers = Join-Path $TestDrive 'customers.csv'
        $expected = New-SquareItemSalesExport $items -CustomerPath $customers
        $r = Invoke-Recipe square @{ 'items.csv' = $items; 'customers.csv' = $customers }
        $square = $r.square
        $rows = $r.rows
        $joined = Join-Path $TestDrive 'joined.csv'
        $rows | Export-Csv $joined
        $check = $rows | Test-OfflineEventFile @square
        $check.Errors | Should -Be 0
        $check.Skipped | Should -BeGreaterThan 0
        $identified = @($expected | Where-Object { $_.Email -or $_.Phone })
        $summaries = Test-Shape { param($set) Send-OfflineEvent -Path $joined @square -EventSetId $set } `
            { param($set) $rows | Send-OfflineEvent @square -EventSetId $set } $identified 1
        $summaries[0].Unidentified | Should -Be ($expected | Where-Object { -not ($_.Email -or $_.Phone) } | Measure-Object Lines -Sum).Sum   # rows
        $summaries[0].Skipped | Should -Be @(Import-Csv $items | Where-Object 'Event Type' -EQ 'Refund').Count
        Test-Export $square $joined $rows $identified | Out-Null
    }

    It 'Salesforce leads: US dates in Pacific time, Phone and Mobile, a mistyped email left out' {
        $file = Join-Path $TestDrive 'leads.csv'
        $expected = New-SalesforceLeadsReport $file
        $salesforce = (Invoke-Recipe salesforce @{ 'leads.csv' = $file }).salesforce
        $check = Test-OfflineEventFile $file @salesforce
        $check.IsValid | Should -BeTrue
        $check.RuleCounts['EmailInvalid'] | Should -Be @($expected | Where-Object { -not $_.Email }).Count
        Test-Shape { param($set) Send-OfflineEvent -Path $file @salesforce -EventSetId $set -WarningAction SilentlyContinue } `
            { param($set) Import-Csv $file | Send-OfflineEvent @salesforce -EventSetId $set -WarningAction SilentlyContinue } $expected 1 | Out-Null
        Test-Export $salesforce $file (Import-Csv $file) $expected | Out-Null
    }

    It 'a call-center log: epoch seconds, dispositions through -EventTypeMap, a withheld number Unidentified' {
        $file = Join-Path $TestDrive 'calls.csv'
        $expected = New-CallCenterLog $file
        $calls = (Invoke-Recipe calls @{ 'calls.csv' = $file }).calls
        # 'Anonymous' is a withheld number: such a call has no identifier and is Unidentified, not a reject or an event.
        $withheld = @(Import-Csv $file | Where-Object 'Caller ID' -EQ 'Anonymous' | Where-Object Disposition -In 'Sale', 'Callback Requested')
        $withheld.Count | Should -BeGreaterThan 0
        $identified = @($expected | Where-Object { $_.Phone })
        $identified.Count | Should -Be ($expected.Count - $withheld.Count)
        $check = Test-OfflineEventFile $file @calls
        $check.RuleCounts.ContainsKey('PhoneInvalid') | Should -BeFalse
        $check.Unidentified | Should -Be $withheld.Count
        $check.Skipped | Should -Be @(Import-Csv $file | Where-Object Disposition -In 'No Sale', 'Voicemail').Count
        $summaries = Test-Shape { param($set) Send-OfflineEvent -Path $file @calls -EventSetId $set -ErrorAction SilentlyContinue } `
            { param($set) Import-Csv $file | Send-OfflineEvent @calls -EventSetId $set -ErrorAction SilentlyContinue } $identified 44
        $summaries[0].Rejected | Should -Be 0
        $summaries[0].Unidentified | Should -Be $withheld.Count
        $summaries[0].Skipped | Should -Be $check.Skipped
        $upload = Test-Export $calls $file (Import-Csv $file) $identified
        $upload.Count | Should -Be $identified.Count
        @($upload.currency | Sort-Object -Unique) | Should -Be 'GBP'
    }

    It 'a European Excel sheet: semicolons, Windows-1252, German dates and decimal commas, national numbers' {
        $file = Join-Path $TestDrive 'kasse.csv'
        $expected = New-EuropeanExcelExport $file
        $excel = (Invoke-Recipe excel @{ 'kasse.csv' = $file }).excel
        $asExcel = @{ Delimiter = ';'; Encoding = 'windows-1252' }
        $check = Test-OfflineEventFile $file @excel @asExcel
        $check.IsValid | Should -BeTrue
        $check.Errors | Should -Be 0
        Test-Shape { param($set) Send-OfflineEvent -Path $file @asExcel @excel -EventSetId $set } `
            { param($set) Import-Csv $file @asExcel | Send-OfflineEvent @excel -EventSetId $set } $expected 49 | Out-Null
        $upload = Test-Export $excel $file (Import-Csv $file @asExcel) $expected $asExcel
        @($upload.price) | Should -Be @($expected.Value | ForEach-Object { $_.ToString('0.00', [cultureinfo]::InvariantCulture) })
    }
}
