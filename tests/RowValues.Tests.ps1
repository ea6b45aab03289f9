# Issue 17 items 1, 2, 15 and 17 and issue 15's currency and size facts, on every row route: Test-OfflineEventFile,
# Send-OfflineEvent (pipeline and -Path, to the real sandbox) and Export-OfflineEventFile (pipeline and -LiteralInputPath).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    # Visible to this file when it runs alone, too (Import-TestModule imports into the helper module's scope).
    if (-not (Get-Command Send-OfflineEvent -ErrorAction Ignore)) { Import-Module $env:OEPS_TEST_MODULE -Global -ErrorAction Stop }
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $script:Set = (New-OfflineEventSet -Name "values $(New-Guid)").EventSetId
    $script:Header = 'event_type,email,phone,timestamp,price,currency,order_id,quantity,product_id,store_id'
    $script:Recent = [DateTimeOffset]::UtcNow.AddHours(-2).ToString('yyyy-MM-ddTHH:mm:ssZ')
    $script:Run = 0

    # One good row with some columns changed.
    function Row([hashtable] $Change = @{}) {
        $values = [ordered]@{ event_type = 'Purchase'; email = 'row@example.com'; phone = ''; timestamp = $script:Recent; price = '10'
            currency = 'USD'; order_id = "O-$([guid]::NewGuid().ToString('N').Substring(0, 8))"; quantity = '1'; product_id = 'SKU-1'; store_id = 's1' }
        foreach ($k in $Change.Keys) { $values[$k] = $Change[$k] }
        ($values.Values | ForEach-Object { if ("$_" -match '[,"]') { '"' + ("$_" -replace '"', '""') + '"' } else { "$_" } }) -join ','
    }

    function New-Input([string[]] $Lines) {
        $script:Run++
        $path = Join-Path $TestDrive "input-$($script:Run).csv"
        [IO.File]::WriteAllText($path, ($Lines -join "`n") + "`n")
        $path
    }

    # Every row route over one file, with the same options; what each wrote to every stream, and its files.
    function Invoke-EveryRoute([string] $Path, [hashtable] $Options = @{}) {
        $routes = [ordered]@{}
        $run = $script:Run
        $testOptions = @{} + $Options
        $routes.Test = & { Test-OfflineEventFile -LiteralPath $Path @testOptions -Verbose } *>&1
        $routes.SendPath = & { Send-OfflineEvent -LiteralPath $Path -EventSetId $script:Set -RejectPath (Join-Path $TestDrive "rejects-$run-send-path.csv") @Options -Verbose -ErrorAction Continue } *>&1
        $routes.SendPipeline = & { Import-Csv -LiteralPath $Path | Send-OfflineEvent -EventSetId $script:Set -RejectPath (Join-Path $TestDrive "rejects-$run-send-pipe.csv") @Options -Verbose -ErrorAction Continue } *>&1
        $routes.ExportPath = & { Export-OfflineEventFile (Join-Path $TestDrive "upload-$run-path.csv") -LiteralInputPath $Path -RejectPath (Join-Path $TestDrive "rejects-$run-export-path.csv") @Options -Verbose -ErrorAction Continue } *>&1
        $routes.ExportPipeline = & { Import-Csv -LiteralPath $Path | Export-OfflineEventFile (Join-Path $TestDrive "upload-$run-pipe.csv") -RejectPath (Join-Path $TestDrive "rejects-$run-export-pipe.csv") @Options -Verbose -ErrorAction Continue } *>&1
        $routes
    }

    function Get-Result($Records) { @($Records | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationalRecord] })[-1] }
    function Get-Errors($Records) { @($Records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) }

    # Every route rejects (or, for Test, reports) exactly the given rule, and nothing ends a run.
    function Assert-RowError([string] $Path, [string] $Rule, [hashtable] $Options = @{}, [int] $Rows = 1) {
        $routes = Invoke-EveryRoute $Path $Options
        $test = Get-Result $routes.Test
        $test.RuleCounts[$Rule] | Should -Be $Rows -Because ($test.Issues | Out-String)
        $test.IsValid | Should -BeFalse
        foreach ($name in 'SendPath', 'SendPipeline') {
            $summary = Get-Result $routes[$name]
            $summary.GetType().Name | Should -Be 'DeliverySummary' -Because "$name must end with its summary"
            $summary.Rejected | Should -Be $Rows -Because $name
            $summary.RejectsByRule[$Rule] | Should -Be $Rows -Because $name
            @(Get-Errors $routes[$name] | Where-Object FullyQualifiedErrorId -Like "OfflineEvents.Send.Rejected.$Rule*").Count | Should -Be $Rows -Because $name
        }
        foreach ($name in 'ExportPath', 'ExportPipeline') {
            $result = Get-Result $routes[$name]
            $result.GetType().Name | Should -Be 'UploadExportResult' -Because "$name must end with its result"
            $result.Rejected | Should -Be $Rows -Because $name
            $result.RejectsByRule[$Rule] | Should -Be $Rows -Because $name
            @(Get-Errors $routes[$name] | Where-Object FullyQualifiedErrorId -Like "OfflineEvents.Export.Rejected.$Rule*").Count | Should -Be $Rows -Because $name
        }
        $routes
    }

    # Every route takes the row: Test calls it valid, Send delivers it, Export writes it.
    function Assert-RowAccepted([string] $Path, [hashtable] $Options = @{}) {
        $routes = Invoke-EveryRoute $Path $Options
        (Get-Result $routes.Test).Errors | Should -Be 0 -Because ((Get-Result $routes.Test).Issues | Out-String)
        (Get-Result $routes.SendPath).Delivered | Should -Be 1
        (Get-Result $routes.SendPipeline).Delivered | Should -Be 1
        (Get-Result $routes.ExportPath).Written | Should -Be 1
        (Get-Result $routes.ExportPipeline).Written | Should -Be 1
        $routes
    }
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'Timestamps at the ends of the calendar (issue 17 item 1)' {
    It '<Time> <Zone> is a TimestampOutOfRange row error on every route, not an exception' -ForEach @(
        @{ Time = '0001-01-01T00:00:00+01:00'; Zone = $null; Reason = 'outside the years 1-9999' }
        @{ Time = '9999-12-31T23:59:59-14:00'; Zone = $null; Reason = 'outside the years 1-9999' }
        @{ Time = '0001-01-01T00:00:00'; Zone = 'Asia/Tokyo'; Reason = 'outside the years 1-9999' }
        @{ Time = '1970-01-01T00:00:00Z'; Zone = $null; Reason = 'before 2000-01-01' }
        @{ Time = '0001-01-01T00:00:00Z'; Zone = $null; Reason = 'before 2000-01-01' }
        @{ Time = '1999-12-31T23:59:59Z'; Zone = $null; Reason = 'before 2000-01-01' }
    ) {
        $options = if ($Zone) { @{ TimeZone = $Zone } } else { @{} }
        $path = New-Input @($script:Header, (Row @{ timestamp = $Time }), (Row))
        $routes = Assert-RowError $path 'TimestampOutOfRange' $options
        ((Get-Result $routes.Test).Issues | Where-Object Rule -EQ TimestampOutOfRange).Message | Should -Match $Reason
        (Get-Result $routes.SendPath).Delivered | Should -Be 1
        (Get-Result $routes.ExportPipeline).Written | Should -Be 1
    }

    It '2000-01-01T00:00:00Z, the earliest time, is sent (with only the age warning)' {
        $routes = Assert-RowAccepted (New-Input @($script:Header, (Row @{ timestamp = '2000-01-01T00:00:00Z' })))
        ((Get-Result $routes.Test).Issues).Rule | Should -Be @('TimestampTooOld')
    }
}

Describe 'Numeric bounds (issue 17 item 2)' {
    It 'the attack run''s 99999999999 x 9223372036854775807 is a QuantityInvalid row error everywhere, and the run goes on' {
        $path = New-Input @($script:Header, (Row @{ price = '99999999999'; quantity = '9223372036854775807' }), (Row))
        $routes = Assert-RowError $path 'QuantityInvalid'
        (Get-Result $routes.SendPipeline).Delivered | Should -Be 1
    }

    It '<Name> is a <Rule> row error on every route' -ForEach @(
        @{ Name = 'a price of one trillion'; Change = @{ price = '1000000000000' }; Rule = 'PriceInvalid' }
        @{ Name = 'a price with 4 decimals'; Change = @{ price = '1.2345' }; Rule = 'PriceInvalid' }
        @{ Name = 'a quantity of 2^31'; Change = @{ quantity = '2147483648' }; Rule = 'QuantityInvalid' }
        @{ Name = 'price x quantity of one trillion'; Change = @{ price = '500000000000'; quantity = '2' }; Rule = 'ValueTooLarge'; Options = @{ PriceIs = 'UnitPrice' } }
    ) {
        $null = Assert-RowError (New-Input @($script:Header, (Row $Change))) $Rule $(if ($Options) { $Options } else { @{} })
    }

    It '<Name> is at the bound and is sent, with the value TikTok gets' -ForEach @(
        @{ Name = 'a price just under one trillion'; Change = @{ price = '999999999999.999'; quantity = '1' }; Value = 999999999999.999 }
        @{ Name = 'a row total just under one trillion for 2 items'; Change = @{ price = '999999999999.999'; quantity = '2' }; Value = 999999999999.999 }
        @{ Name = 'the largest quantity'; Change = @{ price = '0.001'; quantity = '2147483647' }; Value = 2147483.647; Options = @{ PriceIs = 'UnitPrice' } }
        @{ Name = 'price x quantity just under one trillion'; Change = @{ price = '499999999999.999'; quantity = '2' }; Value = 999999999999.998; Options = @{ PriceIs = 'UnitPrice' } }
    ) {
        $orderId = "B-$([guid]::NewGuid().ToString('N'))"
        $null = Assert-RowAccepted (New-Input @($script:Header, (Row ($Change + @{ order_id = $orderId })))) $(if ($Options) { $Options } else { @{} })
        $ledger = Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$script:Set"
        $sent = @($ledger.payload | Where-Object { $_.properties.order_id -eq $orderId })
        $sent.Count | Should -Be 1 # both Send routes carry the same event id
        [decimal]$sent[0].properties.value | Should -Be ([decimal]$Value)
    }
}

Describe 'Objects as values and field lengths (issue 17 item 17)' {
    It 'a price given as a <Kind> is a ValueNotScalar row error naming the property, on both pipeline routes' -ForEach @(
        @{ Kind = 'hashtable'; Price = @{ amount = 5 } }
        @{ Kind = 'PSCustomObject'; Price = [pscustomobject]@{ amount = 5 } }
        @{ Kind = 'array'; Price = @(1, 2) }
    ) {
        $rows = @(
            [pscustomobject]@{ event_type = 'Purchase'; email = 'obj@example.com'; timestamp = $script:Recent; price = $Price; order_id = "P-$(New-Guid)" }
            [pscustomobject]@{ event_type = 'Purchase'; email = 'obj@example.com'; timestamp = $script:Recent; price = '5'; order_id = "P-$(New-Guid)" }
        )
        $summary = $rows | Send-OfflineEvent -EventSetId $script:Set -ErrorVariable sendErrors -ErrorAction SilentlyContinue
        $summary.Delivered | Should -Be 1
        $summary.RejectsByRule['ValueNotScalar'] | Should -Be 1
        $sendErrors[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.Rejected.ValueNotScalar*'
        "$($sendErrors[0])" | Should -Match "the property 'price' \(price\) holds"
        $sendErrors[0].TargetObject.Column | Should -Be 'price'
        $result = $rows | Export-OfflineEventFile (Join-Path $TestDrive "objects-$Kind.csv") -ErrorVariable exportErrors -ErrorAction SilentlyContinue
        $result.Written | Should -Be 1
        $result.RejectsByRule['ValueNotScalar'] | Should -Be 1
        $exportErrors[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Export.Rejected.ValueNotScalar*'
    }

    It 'an object in a column the module does not read is left alone' {
        $row = [pscustomobject]@{ event_type = 'Purchase'; email = 'obj@example.com'; timestamp = $script:Recent; notes = @{ a = 1 }; order_id = "N-$(New-Guid)" }
        ($row | Send-OfflineEvent -EventSetId $script:Set).Delivered | Should -Be 1
    }

    It 'a <Column> of <Length> characters is a FieldTooLong row error on every route' -ForEach @(
        @{ Column = 'order_id'; Length = 257 }
        @{ Column = 'product_id'; Length = 257 }
        @{ Column = 'store_id'; Length = 257 }
        @{ Column = 'event_type'; Length = 65 }
        @{ Column = 'currency'; Length = 17 }
        @{ Column = 'email'; Length = 321 }
    ) {
        $path = New-Input @($script:Header, (Row @{ $Column = 'q' * $Length }), (Row))
        $routes = Assert-RowError $path 'FieldTooLong'
        ((Get-Result $routes.Test).Issues | Where-Object Rule -EQ FieldTooLong).Column | Should -Be $Column
    }

    It 'at the limit (256 characters), an order_id is sent' {
        $null = Assert-RowAccepted (New-Input @($script:Header, (Row @{ order_id = 'L' + ([guid]::NewGuid().ToString('N')) + ('q' * 223) })))
    }

    It 'a 10 MB event type is refused by its length at once, on both pipeline routes' {
        $huge = 'x' * 10MB
        $rows = 1..3 | ForEach-Object { [pscustomobject]@{ event_type = $huge; email = 'big@example.com'; timestamp = $script:Recent } }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $summary = $rows | Send-OfflineEvent -EventSetId $script:Set -ErrorVariable errs -ErrorAction SilentlyContinue
        $result = $rows | Export-OfflineEventFile (Join-Path $TestDrive 'huge.csv') -ErrorAction SilentlyContinue
        $clock.Stop()
        $summary.RejectsByRule['FieldTooLong'] | Should -Be 3
        $result.RejectsByRule['FieldTooLong'] | Should -Be 3
        "$($errs[0])" | Should -Match 'event_type is 10,485,760 characters long, over the limit of 64'
        # 11.9 s for one such row before; a generous sanity bound for six.
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 10
    }
}

Describe 'PII-shaped values in any column are masked (issue 17 item 15)' {
    It 'a row shifted by an unquoted comma leaks its phone and email into no stream and no file' {
        # "Doe, Jane" unquoted: the last name lands in email, the email in phone, the phone in timestamp...
        $t = $script:Recent
        $path = New-Input @($script:Header,
            "Purchase,Doe,jane.shift@example.net,+1 213 555 0147,$t,10,USD,O-1,1,SKU,s1",
            "Purchase,Roe,2135550148,$t,10,USD,O-2,1,SKU,s1",
            "Purchase,bob.shift@example.org,(213) 555-0149,x,$t,10,USD,O-3,1,SKU,s1")
        $secrets = 'jane.shift@example.net', 'jane.shift', '213 555 0147', '2135550147', '2135550148', 'bob.shift', '555-0149', '2135550149'
        $routes = Invoke-EveryRoute $path @{ DefaultRegion = 'US' }
        $routes.Hashed = & { Import-Csv -LiteralPath $path | ConvertTo-HashedPii -DefaultRegion US -Verbose -ErrorAction Continue } *>&1 |
            Where-Object { $_ -is [System.Management.Automation.ErrorRecord] -or $_ -is [System.Management.Automation.InformationalRecord] }
        foreach ($name in $routes.Keys) {
            foreach ($record in $routes[$name]) {
                $text = "$record"
                if ($record -is [System.Management.Automation.ErrorRecord]) {
                    $text += ' ' + $record.Exception.Message + ' ' + ($record.TargetObject | ConvertTo-Json -Depth 4 -Compress)
                }
                elseif ($record -isnot [System.Management.Automation.InformationalRecord]) {
                    $text += ' ' + ($record | ConvertTo-Json -Depth 4 -Compress) + ' ' + ($record.Issues | Out-String)
                }
                foreach ($secret in $secrets) { $text | Should -Not -Match ([regex]::Escape($secret)) -Because "$name wrote: $text" }
            }
        }
        # The rows were rejected (they are broken) but the second, whose shifted phone is a valid number: it is sent with
        # it and its email ('Roe') left out; the shifted timestamps were quoted, masked.
        (Get-Result $routes.SendPath).Rejected | Should -Be 2
        @((Get-Result $routes.Test).Issues | Where-Object { $_.Rule -eq 'TimestampInvalid' -and $_.Message -match "timestamp '•••• ••••147'" }).Count | Should -Be 1
        $files = Get-ChildItem $TestDrive -Filter "*-$($script:Run)-*.csv"
        $files.Count | Should -BeGreaterOrEqual 4
        foreach ($file in $files) {
            $content = Get-Content $file -Raw
            foreach ($secret in $secrets) { $content | Should -Not -Match ([regex]::Escape($secret)) -Because $file.Name }
        }
    }
}

Describe 'TikTok''s currency list and upload sizes (issue 15 item 5)' {
    It 'an ISO 4217 code outside TikTok''s list is a warning, and the event is sent with it' {
        $orderId = "C-$(New-Guid)"
        $routes = Assert-RowAccepted (New-Input @($script:Header, (Row @{ currency = 'AMD'; order_id = $orderId })))
        $issue = (Get-Result $routes.Test).Issues | Where-Object Rule -EQ CurrencyUnsupported
        "$($issue.Severity)" | Should -Be 'Warning'
        (Get-Result $routes.SendPath).WarningsByRule['CurrencyUnsupported'] | Should -Be 1
        @($routes.SendPath | Where-Object { $_ -is [System.Management.Automation.WarningRecord] -and "$_" -match 'AMD' }).Count | Should -BeGreaterOrEqual 1
        $ledger = Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$script:Set"
        @($ledger.payload | Where-Object { $_.properties.order_id -eq $orderId }).properties.currency | Should -Be 'AMD'
    }

    It 'a code that is not ISO 4217 stays an error' {
        $null = Assert-RowError (New-Input @($script:Header, (Row @{ currency = 'XYZ' }))) 'CurrencyInvalid'
    }

    It 'Test-OfflineEventFile warns over 10,000,000 bytes and errors only over 50 MB' {
        $path = Join-Path $TestDrive 'eleven-mb.csv'
        New-TestEventFile -Path $path -Rows 110000
        (Get-Item $path).Length | Should -BeGreaterThan 10000000
        (Get-Item $path).Length | Should -BeLessThan 50MB
        $r = Test-OfflineEventFile -LiteralPath $path
        $r.IsValid | Should -BeTrue
        $issue = $r.Issues | Where-Object Rule -EQ FileLarge
        "$($issue.Severity)" | Should -Be 'Warning'
        $issue.Message | Should -Match '10 MB'
        $small = Join-Path $TestDrive 'small.csv'
        New-TestEventFile -Path $small -Rows 10
        (Test-OfflineEventFile -LiteralPath $small).RuleCounts.ContainsKey('FileLarge') | Should -BeFalse
    }

    It 'Export-OfflineEventFile writes parts of at most 10,000,000 bytes by default' {
        $path = Join-Path $TestDrive 'export-eleven-mb.csv'
        New-TestEventFile -Path $path -Rows 110000
        $result = Export-OfflineEventFile (Join-Path $TestDrive 'parts.csv') -LiteralInputPath $path
        $result.Files.Count | Should -BeGreaterThan 1
        foreach ($part in $result.Files) { (Get-Item $part).Length | Should -BeLessOrEqual 10000000 }
        (Get-Item $result.Files[0]).Length | Should -BeGreaterThan 9000000
        (Get-Command Export-OfflineEventFile).Parameters['MaxFileSize'] | Should -Not -BeNullOrEmpty
    }
}

Describe 'Rule ids are documented' {
    It 'every row and file rule id is listed in about_OfflineEvents' {
        $about = Get-Content (Join-Path (Get-Module OfflineEvents.PS).ModuleBase 'en-US/about_OfflineEvents.help.txt') -Raw
        $core = (Get-Command Send-OfflineEvent).ImplementingType.Assembly.GetReferencedAssemblies() | Where-Object Name -EQ 'OfflineEvents.Core'
        $assembly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'OfflineEvents.Core' } | Select-Object -First 1
        $core | Should -Not -BeNullOrEmpty
        foreach ($type in 'OfflineEvents.Core.Rules.RuleIds', 'OfflineEvents.Core.Files.FileRuleIds') {
            foreach ($field in $assembly.GetType($type).GetFields()) {
                $about | Should -Match "\b$($field.GetRawConstantValue())\b" -Because "$type.$($field.Name) must be documented"
            }
        }
    }
}
