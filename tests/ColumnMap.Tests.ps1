# One column resolver for every cmdlet and route: usual spellings, -ColumnMap, -EventTypeMap, detection that explains itself.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    function Sha([string] $text) {
        $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($text))
        [Convert]::ToHexString($bytes).ToLowerInvariant()
    }
    function New-Csv([string] $Name, [string[]] $Lines) {
        $path = Join-Path $TestDrive $Name
        [IO.File]::WriteAllText($path, ($Lines -join "`n") + "`n")
        $path
    }
    function Get-Ledger([string] $Set) { (Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$Set").payload }
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $script:Recent = [DateTimeOffset]::UtcNow.AddHours(-3).ToString('yyyy-MM-dd HH:mm:ssZ')
    $script:RecentUnix = [DateTimeOffset]::Parse($script:Recent).ToUnixTimeSeconds()
    $script:AnySet = (New-OfflineEventSet -Name "columns $(New-Guid)").EventSetId

    # A shop's order export: its own column names, two phone columns, the email in 'Contact'.
    $script:Shop = New-Csv 'orders_export.csv' @(
        'Name,Contact,Email,Phone,Billing Phone,Created at,Lineitem price,Lineitem quantity,Lineitem sku,Notes'
        "#1001,jo@example.com,old@example.com,,(213) 373-4253,$script:Recent,12.50,2.00,SKU-1,call back"
        "#1002,al@example.com,,+1 213 373 4254,,$script:Recent,5,1,SKU-2,"
    )
    $script:ShopMap = @{ order_id = 'Name'; email = 'Contact'; phone = 'Phone', 'Billing Phone'; timestamp = 'Created at'
        price = 'Lineitem price'; quantity = 'Lineitem quantity'; product_id = 'Lineitem sku' }
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'One resolver: Test reads the columns Send reads' {
    It 'Test no longer ignores a column Send reads under a usual spelling, and says what it means for an upload' {
        $path = New-Csv 'aliases.csv' @('Event Name,Email Address,Event Time,Order ID', "Purchase,jo@example.com,$script:Recent,A-1")
        $r = Test-OfflineEventFile $path
        $r.IsValid | Should -BeTrue
        $r.Issues.Rule | Should -Not -Contain 'ColumnMissing'
        ($r.Columns | Where-Object Field -EQ email).Column | Should -Be 'Email Address'
        $alias = $r.Issues | Where-Object { $_.Rule -eq 'ColumnAlias' -and $_.Column -eq 'Email Address' }
        $alias.Severity | Should -Be 'Warning'
        $alias.Message | Should -Match 'read as email .* when sent or exported; for a manual upload'
        $alias.Message | Should -Not -Match 'ignored'
        $set = (New-OfflineEventSet -Name "aliases $(New-Guid)").EventSetId
        (Send-OfflineEvent -Path $path -EventSetId $set).Delivered | Should -Be 1
        (Get-Ledger $set).user.email | Should -Be (Sha 'jo@example.com')
    }

    It 'Test -InputObject still takes piped files and path strings' {
        $path = New-Csv 'piped-file.csv' @('event_type,email,timestamp', "Purchase,jo@example.com,$script:Recent")
        (Get-Item $path | Test-OfflineEventFile).Path | Should -Be $path
        ($path | Test-OfflineEventFile).Rows | Should -Be 1
    }

    It 'Test takes -DefaultEventType and -DefaultCurrency as Send does' {
        $path = New-Csv 'defaults.csv' @('email,timestamp,price', "jo@example.com,$script:Recent,5")
        (Test-OfflineEventFile $path).Issues.Rule | Should -Contain 'ColumnMissing'
        $r = Test-OfflineEventFile $path -DefaultEventType 'Contact' -DefaultCurrency EUR
        $r.IsValid | Should -BeTrue
        $r.Issues.Rule | Should -Not -Contain 'ColumnMissing'
        { Test-OfflineEventFile $path -DefaultEventType 'Purchse' } | Should -Throw -ErrorId 'OfflineEvents.InvalidArgument,*'
    }
}

Describe '-ColumnMap' {
    It 'Send -Path and the pipeline read a shop export through the map, with the same events' {
        $file = (New-OfflineEventSet -Name "map file $(New-Guid)").EventSetId
        $pipe = (New-OfflineEventSet -Name "map pipe $(New-Guid)").EventSetId
        $a = Send-OfflineEvent -Path $script:Shop -ColumnMap $script:ShopMap -DefaultEventType 'Complete Payment' -EventSetId $file -DefaultRegion US
        $b = Import-Csv $script:Shop | Send-OfflineEvent -ColumnMap $script:ShopMap -DefaultEventType 'Complete Payment' -EventSetId $pipe -DefaultRegion US
        $a.Delivered | Should -Be 2
        $b.Delivered | Should -Be 2
        $ledger = Get-Ledger $file
        $first = $ledger | Where-Object { $_.properties.order_id -eq '#1001' }
        $first.user.email | Should -Be (Sha 'jo@example.com')        # Contact, not Email
        $first.user.phone | Should -Be (Sha '+12133734253')          # Billing Phone, Phone being blank
        $first.event_time | Should -Be $script:RecentUnix
        $first.properties.contents[0].content_id | Should -Be 'SKU-1'
        $first.properties.contents[0].quantity | Should -Be 2        # 2.00
        ($ledger | Where-Object { $_.properties.order_id -eq '#1002' }).user.phone | Should -Be (Sha '+12133734254')
        @((Get-Ledger $pipe).event_id | Sort-Object) | Should -Be @($ledger.event_id | Sort-Object)
    }

    It 'Export writes the upload file through the map on both routes' {
        $fromFile = Join-Path $TestDrive 'map-file.csv'
        $fromPipe = Join-Path $TestDrive 'map-pipe.csv'
        (Get-Item $script:Shop | Export-OfflineEventFile $fromFile -ColumnMap $script:ShopMap -DefaultEventType 'Complete Payment' -DefaultRegion US).Written | Should -Be 2
        (Import-Csv $script:Shop | Export-OfflineEventFile $fromPipe -ColumnMap $script:ShopMap -DefaultEventType 'Complete Payment' -DefaultRegion US).Written | Should -Be 2
        Get-Content $fromPipe | Should -Be (Get-Content $fromFile)
        $rows = Import-Csv $fromFile
        $rows[0].order_id | Should -Be '#1001'
        $rows[0].email | Should -Be (Sha 'jo@example.com')
        $rows[0].quantity | Should -Be '2'
        $rows[0].product_id | Should -Be 'SKU-1'
    }

    It 'Test checks the file and the piped rows through the map alike, and its Columns say where each field comes from' {
        $file = Test-OfflineEventFile $script:Shop -ColumnMap $script:ShopMap -DefaultEventType 'Complete Payment' -DefaultRegion US
        $pipe = Import-Csv $script:Shop | Test-OfflineEventFile -ColumnMap $script:ShopMap -DefaultEventType 'Complete Payment' -DefaultRegion US
        $file.IsValid | Should -BeTrue
        $pipe.IsValid | Should -BeTrue
        ($file.Columns | Where-Object Field -EQ order_id).Kind | Should -Be 'ColumnMap'
        ($file.Columns | ForEach-Object { "$($_.Field)=$($_.Column)" }) | Should -Be ($pipe.Columns | ForEach-Object { "$($_.Field)=$($_.Column)" })
        $email = $file.Issues | Where-Object Column -EQ 'Email'
        $email.Rule | Should -Be 'ColumnUnknown'
        $email.Message | Should -Match '-ColumnMap takes email from another column'
    }

    It 'ConvertTo-HashedPii hashes the mapped columns, and the one the map overrides as PII still' {
        $out = Import-Csv $script:Shop | ConvertTo-HashedPii -ColumnMap @{ email = 'Contact'; phone = 'Phone', 'Billing Phone' } -DefaultRegion US
        $out[0].Contact | Should -Be (Sha 'jo@example.com')
        $out[0].Email | Should -Be (Sha 'old@example.com')
        $null = Import-Csv $script:Shop | ConvertTo-HashedPii -ColumnMap @{ email = $null } -SummaryVariable s
        ($s.Fields | Where-Object Column -EQ 'Email').Hashed | Should -BeGreaterThan 0
        $out[0].'Billing Phone' | Should -Be (Sha '+12133734253')
        $out[1].Phone | Should -Be (Sha '+12133734254')
    }

    It 'a field mapped to $null has no column: the event comes from -DefaultEventType' {
        $path = New-Csv 'square.csv' @('Event Type,Email,Timestamp', "Payment,jo@example.com,$script:Recent")
        $set = (New-OfflineEventSet -Name "null $(New-Guid)").EventSetId
        (Send-OfflineEvent -Path $path -ColumnMap @{ event_type = $null } -DefaultEventType Purchase -EventSetId $set).Delivered | Should -Be 1
        (Get-Ledger $set).event | Should -Be 'Purchase'
    }

    It 'an unknown field is a terminating ColumnMapUnknownField error on <Name>' -ForEach @(
        @{ Name = 'Send'; Run = { Send-OfflineEvent -Path $script:Shop -EventSetId $script:AnySet -ColumnMap @{ timestmp = 'Created at' } -WhatIf } }
        @{ Name = 'Export'; Run = { Get-Item $script:Shop | Export-OfflineEventFile (Join-Path $TestDrive 'x.csv') -ColumnMap @{ timestmp = 'Created at' } } }
        @{ Name = 'Test'; Run = { Test-OfflineEventFile $script:Shop -ColumnMap @{ timestmp = 'Created at' } } }
        @{ Name = 'ConvertTo-HashedPii'; Run = { Import-Csv $script:Shop | ConvertTo-HashedPii -ColumnMap @{ emial = 'Contact' } } }
    ) {
        $err = { & $Run } | Should -Throw -ErrorId 'OfflineEvents.ColumnMapUnknownField,*' -PassThru
        $err.Exception.Message | Should -Match 'did you mean'
    }

    It 'a missing column is a terminating ColumnMapMissingColumn error naming both and the columns, on <Name>' -ForEach @(
        @{ Name = 'Send -Path'; Run = { Send-OfflineEvent -Path $script:Shop -EventSetId $script:AnySet -ColumnMap @{ timestamp = 'Created' } -WhatIf } }
        @{ Name = 'Send pipeline'; Run = { Import-Csv $script:Shop | Send-OfflineEvent -EventSetId $script:AnySet -ColumnMap @{ timestamp = 'Created' } -WhatIf } }
        @{ Name = 'Export file'; Run = { Get-Item $script:Shop | Export-OfflineEventFile (Join-Path $TestDrive 'y.csv') -ColumnMap @{ timestamp = 'Created' } } }
        @{ Name = 'Export pipeline'; Run = { Import-Csv $script:Shop | Export-OfflineEventFile (Join-Path $TestDrive 'z.csv') -ColumnMap @{ timestamp = 'Created' } } }
        @{ Name = 'Test -Path'; Run = { Test-OfflineEventFile $script:Shop -ColumnMap @{ timestamp = 'Created' } } }
        @{ Name = 'Test pipeline'; Run = { Import-Csv $script:Shop | Test-OfflineEventFile -ColumnMap @{ timestamp = 'Created' } } }
        @{ Name = 'ConvertTo-HashedPii'; Run = { Import-Csv $script:Shop | ConvertTo-HashedPii -ColumnMap @{ email = 'Created' } } }
    ) {
        $err = { & $Run } | Should -Throw -ErrorId 'OfflineEvents.ColumnMapMissingColumn,*' -PassThru
        $err.Exception.Message | Should -Match "'Created', which the input does not have: did you mean 'Created at'\?"
        $err.Exception.Message | Should -Match "Its columns: 'Name', 'Contact'"
        Test-Path (Join-Path $TestDrive 'y.csv') | Should -BeFalse
    }
}

Describe '-EventTypeMap' {
    BeforeAll {
        $script:Items = New-Csv 'items.csv' @(
            'Event Type,Email,Timestamp,Order ID'
            "Payment,jo@example.com,$script:Recent,T-1"
            "Refund,jo@example.com,$script:Recent,T-2"
            "payment ,al@example.com,$script:Recent,T-3"
        )
        $script:EventMap = @{ Payment = 'Complete Payment'; Refund = $null }
    }

    It 'maps values to TikTok events and skips $null ones on Send -Path and the pipeline' {
        foreach ($route in 'Path', 'Pipeline') {
            $set = (New-OfflineEventSet -Name "events $route $(New-Guid)").EventSetId
            $s = if ($route -eq 'Path') { Send-OfflineEvent -Path $script:Items -EventTypeMap $script:EventMap -EventSetId $set }
            else { Import-Csv $script:Items | Send-OfflineEvent -EventTypeMap $script:EventMap -EventSetId $set }
            $s.Delivered | Should -Be 2
            $s.Skipped | Should -Be 1
            $s.Rejected | Should -Be 0
            $ledger = Get-Ledger $set
            @($ledger.event | Sort-Object -Unique) | Should -Be @('CompletePayment')
            $ledger.properties.order_id | Should -Not -Contain 'T-2'
        }
    }

    It 'Export and Test count the skipped rows' {
        $r = Get-Item $script:Items | Export-OfflineEventFile (Join-Path $TestDrive 'events.csv') -EventTypeMap $script:EventMap
        $r.Written | Should -Be 2
        $r.Skipped | Should -Be 1
        @(Import-Csv (Join-Path $TestDrive 'events.csv')).event_type | Should -Be @('Complete Payment', 'Complete Payment')
        $t = Test-OfflineEventFile $script:Items -EventTypeMap $script:EventMap
        $t.Skipped | Should -Be 1
        $t.Errors | Should -Be 0
    }

    It 'ConvertTo-HashedPii names the mapped events and leaves out the rows mapped to $null' {
        $out = @(Import-Csv $script:Items | ConvertTo-HashedPii -EventTypeMap $script:EventMap -SummaryVariable summary)
        $out.Count | Should -Be 2
        $out.'Event Type' | Should -Be @('Complete Payment', 'Complete Payment')
        $out.'Order ID' | Should -Be @('T-1', 'T-3')
        $out[0].Email | Should -Be (Sha 'jo@example.com')
        $summary.Skipped | Should -Be 1
        { Import-Csv $script:Items | ConvertTo-HashedPii -EventTypeMap @{ Payment = 'Complete Paymnt' } } | Should -Throw -ErrorId 'OfflineEvents.InvalidArgument,*'
    }

    It 'an unmapped value that is no TikTok event stays a row error whose message mentions -EventTypeMap' {
        $set = (New-OfflineEventSet -Name "unmapped $(New-Guid)").EventSetId
        $s = Send-OfflineEvent -Path $script:Items -EventTypeMap @{ Payment = 'Complete Payment' } -EventSetId $set -ErrorVariable errs -ErrorAction SilentlyContinue
        $s.Rejected | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.Rejected.EventTypeUnknown*'
        $errs[0].Exception.Message | Should -Match '-EventTypeMap'
    }

    It 'a mapped name that is no TikTok event is refused up front on <Name>' -ForEach @(
        @{ Name = 'Send'; Run = { Send-OfflineEvent -Path $script:Items -EventSetId $script:AnySet -EventTypeMap @{ Payment = 'Complete Paymnt' } -WhatIf } }
        @{ Name = 'Export'; Run = { Get-Item $script:Items | Export-OfflineEventFile (Join-Path $TestDrive 'e.csv') -EventTypeMap @{ Payment = 'Complete Paymnt' } } }
        @{ Name = 'Test'; Run = { Test-OfflineEventFile $script:Items -EventTypeMap @{ Payment = 'Complete Paymnt' } } }
    ) {
        $err = { & $Run } | Should -Throw -ErrorId 'OfflineEvents.InvalidArgument,*' -PassThru
        $err.Exception.Message | Should -Match "did you mean 'Complete Payment'"
    }
}

Describe 'Detection that explains itself' {
    It '<Name> says once, in Verbose, which column feeds which field' -ForEach @(
        @{ Name = 'Send -Path'; Run = { param($p) Send-OfflineEvent -Path $p -EventSetId $script:VerboseSet -WhatIf -Verbose 4>&1 } }
        @{ Name = 'Send pipeline'; Run = { param($p) Import-Csv $p | Send-OfflineEvent -EventSetId $script:VerboseSet -WhatIf -Verbose 4>&1 } }
        @{ Name = 'Export pipeline'; Run = { param($p) Import-Csv $p | Export-OfflineEventFile (Join-Path $TestDrive 'v.csv') -WhatIf -Verbose 4>&1 } }
        @{ Name = 'Test -Path'; Run = { param($p) Test-OfflineEventFile $p -Verbose 4>&1 } }
        @{ Name = 'Test pipeline'; Run = { param($p) Import-Csv $p | Test-OfflineEventFile -Verbose 4>&1 } }
        @{ Name = 'ConvertTo-HashedPii'; Run = { param($p) Import-Csv $p | ConvertTo-HashedPii -Verbose 4>&1 } }
    ) {
        $script:VerboseSet = (New-OfflineEventSet -Name "verbose $(New-Guid)").EventSetId
        $lines = @(1..5 | ForEach-Object { "Purchase,c$_@example.com,$script:Recent,N$_,x" })
        $path = New-Csv "verbose-$(New-Guid).csv" (@('Event Name,Email Address,Event Time,Order No,Notes') + $lines)
        $verbose = @(& $Run $path | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message |
            Where-Object { $_ -cmatch '(^|: )Columns: ' })
        $verbose.Count | Should -Be 1
        $verbose[0] | Should -Match "'Email Address' -> email"
        $verbose[0] | Should -Match "'Event Time' -> timestamp"
        $verbose[0] | Should -Match "not read: 'Notes'"
    }

    It 'a bare Time column is never taken as the timestamp: the file is refused with what to map' {
        # Alone, a Time column is no timestamp (beside a Date column the two make one: Timestamps.Tests.ps1).
        $path = New-Csv 'square-items.csv' @('Time,Event Type,Email', "9:53,Payment,jo@example.com")
        $s = Send-OfflineEvent -Path $path -EventSetId $script:AnySet -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue
        $s.Read | Should -Be 0
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.FileRefused*'
        $errs[0].Exception.Message | Should -Match "no timestamp column \('Time' is read as a time of day"
        $t = Test-OfflineEventFile $path
        ($t.Issues | Where-Object Rule -EQ 'ColumnMissing').Message | Should -Match "-ColumnMap @\{ timestamp = 'Time' \}"
        ($t.Columns | Where-Object Column -EQ 'Time').Field | Should -Be 'time'
    }

    It 'an Event Type column of values that are no TikTok events is not taken silently: Send warns, naming -EventTypeMap' {
        $path = New-Csv 'square-events.csv' @('Event Type,Email,Timestamp', "Payment,jo@example.com,$script:Recent", "Refund,al@example.com,$script:Recent")
        $set = (New-OfflineEventSet -Name "warn $(New-Guid)").EventSetId
        $s = Send-OfflineEvent -Path $path -EventSetId $set -WarningVariable warns -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $s.Rejected | Should -Be 2
        @($warns | Where-Object { "$_" -match "'Event Type' was taken as event_type by its name.*-EventTypeMap" }).Count | Should -Be 1
        $x = Import-Csv $path | Export-OfflineEventFile (Join-Path $TestDrive 'warn.csv') -WarningVariable xwarns -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        @($xwarns | Where-Object { "$_" -match '-EventTypeMap' }).Count | Should -Be 1
        (Test-OfflineEventFile $path).Issues.Rule | Should -Contain 'EventTypeColumn'
    }

    It 'Mobile beside Phone is read: a row with only a mobile number is sent with it' {
        $path = New-Csv 'mobile.csv' @('event_type,Phone,Mobile,timestamp', "Purchase,,(213) 373-4255,$script:Recent")
        $set = (New-OfflineEventSet -Name "mobile $(New-Guid)").EventSetId
        (Send-OfflineEvent -Path $path -EventSetId $set -DefaultRegion US).Delivered | Should -Be 1
        (Get-Ledger $set).user.phone | Should -Be (Sha '+12133734255')
    }

    It 'a header close to a field name gets "did you mean", an unrelated one does not' {
        $path = New-Csv 'typo.csv' @('event_type,Emial,timestamp,phone,Customer Name', "Purchase,x,$script:Recent,+12133734253,Jo")
        $r = Test-OfflineEventFile $path
        ($r.Issues | Where-Object Column -EQ 'Emial').Message | Should -Match "did you mean email\? Name it with -ColumnMap @\{ email = 'Emial' \}"
        ($r.Issues | Where-Object Column -EQ 'Customer Name').Message | Should -Not -Match 'did you mean'
    }
}
