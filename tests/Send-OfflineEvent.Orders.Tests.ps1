# Issue 15 items 1-3: order-level events, price as the row's total, identity per key; over real HTTP to the sandbox,
# checked against its ledger.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    function Sha([string] $text) {
        $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($text))
        [Convert]::ToHexString($bytes).ToLowerInvariant()
    }
    function Get-Ledger([string] $Set) { @(Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$Set").payload }
    function Test-RowsAddUp($s) { $s.Read | Should -Be ($s.DeliveredRows + $s.Skipped + $s.Rejected + $s.NotSentRows + $s.Unidentified) }
    function New-Export([string] $Name, [string[]] $Lines) {
        $path = Join-Path $TestDrive $Name
        [IO.File]::WriteAllText($path, (@('event_type,email,phone,timestamp,price,currency,order_id,quantity,product_id,product_name,store_id') + $Lines) -join "`n")
        $path
    }
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $now = [DateTimeOffset]::UtcNow
    $script:T = 1..4 | ForEach-Object { $now.AddHours(-3).AddMinutes($_).ToString('yyyy-MM-ddTHH:mm:ssZ') }
    $t = $script:T
    # A shop's line-item export: orders of 1 to 4 lines, 1002's and 1004's lines not adjacent, the email on an
    # order's first line only, and a walk-in sale with no customer at all.
    $script:Shop = New-Export 'shop.csv' @(
        "Purchase,Ann@Example.com,,$($t[1]),30.00,USD,1001,3,SKU-1,Mug,s1"
        "Purchase,,,$($t[0]),4.50,USD,1001,1,SKU-2,,s1"
        "Purchase,bob@example.com,,$($t[0]),12,USD,1002,1,SKU-3,,s1"
        "Purchase,cy@example.com,+1 213 373 4253,$($t[0]),5,USD,1003,1,SKU-1,,s1"
        "Purchase,,,$($t[2]),8,USD,1002,2,SKU-4,,s1"
        "Purchase,dee@example.com,,$($t[0]),1,USD,1004,1,SKU-1,,s1"
        "Purchase,,,$($t[1]),2,USD,1004,1,SKU-2,,s1"
        "Purchase,,,$($t[1]),3,USD,1004,1,SKU-3,,s1"
        "Purchase,,,$($t[3]),7,USD,,1,SKU-9,,s1"
        "Purchase,,,$($t[1]),4,USD,1004,2,SKU-4,,s1"
    )
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'Send-OfflineEvent: an order is one event' {
    BeforeEach { $script:Set = (New-OfflineEventSet -Name "orders $(New-Guid)").EventSetId }

    It 'sends a line-item export as exactly one event per order, with its contents, value and identifiers; a rerun sends nothing' {
        $journal = Join-Path $TestDrive "orders-$(New-Guid).journal"
        $summary = Send-OfflineEvent -Path $script:Shop -EventSetId $script:Set -JournalPath $journal
        $summary.Read | Should -Be 10
        $summary.Events | Should -Be 4
        $summary.Delivered | Should -Be 4
        $summary.DeliveredRows | Should -Be 9
        $summary.Unidentified | Should -Be 1
        $summary.Rejected | Should -Be 0
        Test-RowsAddUp $summary
        $shown = $summary | Out-String
        $shown | Should -Match 'Read\s+: 10 rows in 4 events'
        $shown | Should -Match 'Delivered\s+: 4 events \(9 rows\)'
        $shown | Should -Match 'Unidentified\s+: 1'
        $ledger = Get-Ledger $script:Set
        $ledger.Count | Should -Be 4
        @($ledger.properties.order_id | Sort-Object) | Should -Be @('1001', '1002', '1003', '1004')
        $o1 = $ledger | Where-Object { $_.properties.order_id -eq '1001' }
        $o1.properties.value | Should -Be 34.5
        @($o1.properties.contents.content_id) | Should -Be @('SKU-1', 'SKU-2')
        @($o1.properties.contents.price) | Should -Be @(10, 4.5)
        @($o1.properties.contents.quantity) | Should -Be @(3, 1)
        $o1.properties.contents[0].content_name | Should -Be 'Mug'
        $o1.user.email | Should -Be (Sha 'ann@example.com')
        $o1.event_time | Should -Be ([DateTimeOffset]::Parse($script:T[0]).ToUnixTimeSeconds())
        $o2 = $ledger | Where-Object { $_.properties.order_id -eq '1002' }
        $o2.properties.value | Should -Be 20
        @($o2.properties.contents.price) | Should -Be @(12, 4)
        $o4 = $ledger | Where-Object { $_.properties.order_id -eq '1004' }
        $o4.properties.value | Should -Be 10
        @($o4.properties.contents).Count | Should -Be 4
        $o4.user.email | Should -Be (Sha 'dee@example.com')

        $again = Send-OfflineEvent -Path $script:Shop -EventSetId $script:Set -JournalPath $journal
        $again.Delivered | Should -Be 0
        $again.Skipped | Should -Be 9
        $again.Unidentified | Should -Be 1
        Test-RowsAddUp $again
        (Get-Ledger $script:Set).Count | Should -Be 4
    }

    It 'gives the same events from Import-Csv rows as from -Path' {
        $summary = Import-Csv $script:Shop | Send-OfflineEvent -EventSetId $script:Set
        $summary.Delivered | Should -Be 4
        $other = (New-OfflineEventSet -Name "orders path $(New-Guid)").EventSetId
        $null = Send-OfflineEvent -Path $script:Shop -EventSetId $other
        @((Get-Ledger $script:Set).event_id | Sort-Object) | Should -Be @((Get-Ledger $other).event_id | Sort-Object)
    }

    It '-PriceIs UnitPrice makes the value the sum of price x quantity' {
        $summary = Send-OfflineEvent -Path $script:Shop -EventSetId $script:Set -PriceIs UnitPrice
        $summary.Delivered | Should -Be 4
        $o1 = Get-Ledger $script:Set | Where-Object { $_.properties.order_id -eq '1001' }
        $o1.properties.value | Should -Be 94.5
        @($o1.properties.contents.price) | Should -Be @(30, 4.5)
    }

    It '-GroupBy None keeps one event per row' {
        $summary = Send-OfflineEvent -Path $script:Shop -EventSetId $script:Set -GroupBy None
        $summary.Delivered | Should -Be 4 # only the rows with an email or phone of their own
        $summary.Unidentified | Should -Be 6
        Test-RowsAddUp $summary
        $ledger = Get-Ledger $script:Set
        @($ledger | Where-Object { $_.properties.order_id -eq '1001' }).Count | Should -Be 1
        ($ledger | Where-Object { $_.properties.order_id -eq '1001' }).properties.value | Should -Be 30
    }

    It 'reports identity coverage per event' {
        $summary = Send-OfflineEvent -Path $script:Shop -EventSetId $script:Set
        $summary.Coverage.Email | Should -Be 4
        $summary.Coverage.Phone | Should -Be 1
        $summary.Coverage.Both | Should -Be 1
        $summary.Coverage.Neither | Should -Be 1
    }
}

Describe 'Send-OfflineEvent: identity per key' {
    BeforeEach { $script:Set = (New-OfflineEventSet -Name "identity $(New-Guid)").EventSetId }

    It 'sends a row with one bad identifier with the good one, and warns once per rule' {
        $t = $script:T[0]
        $path = New-Export 'bad-keys.csv' @(
            "Lead,not-an-email,(213) 373-4253,$t,,,,,,,"
            "Lead,ok@example.com,12,$t,,,,,,,"
            "Lead,also@example,,$t,,,,,,,"
        )
        $summary = Send-OfflineEvent -Path $path -EventSetId $script:Set -DefaultRegion US -WarningVariable warnings -ErrorVariable errors -ErrorAction SilentlyContinue
        $summary.Delivered | Should -Be 2
        $summary.Rejected | Should -Be 1
        $summary.WarningsByRule['EmailInvalid'] | Should -Be 1
        $summary.WarningsByRule['PhoneInvalid'] | Should -Be 1
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.Rejected.EmailInvalid*'
        @($warnings | Where-Object { "$_" -match '^EmailInvalid: 1 row' }).Count | Should -Be 1
        $ledger = Get-Ledger $script:Set
        $byPhone = $ledger | Where-Object { $_.user.phone -eq (Sha '+12133734253') }
        $byPhone.user.PSObject.Properties.Name | Should -Not -Contain 'email'
        $byEmail = $ledger | Where-Object { $_.user.email -eq (Sha 'ok@example.com') }
        $byEmail.user.PSObject.Properties.Name | Should -Not -Contain 'phone'
    }

    It 'a national phone beside a valid email without -DefaultRegion is left out once, not 500 rejects' {
        $t = $script:T[0]
        $path = New-Export 'no-region.csv' @(1..500 | ForEach-Object { "Lead,lead$_@example.com,(213) 373-$('{0:0000}' -f $_),$t,,,,,,," })
        $summary = Send-OfflineEvent -Path $path -EventSetId $script:Set -WarningVariable warnings -ErrorVariable errors -ErrorAction SilentlyContinue
        $summary.Delivered | Should -Be 500
        $summary.Rejected | Should -Be 0
        @($errors).Count | Should -Be 0
        $summary.WarningsByRule['PhoneNeedsRegion'] | Should -Be 500
        $lines = @($warnings | Where-Object { "$_" -match '^PhoneNeedsRegion' })
        $lines.Count | Should -Be 1
        "$($lines[0])" | Should -Match '500 row'
        "$($lines[0])" | Should -Match '-DefaultRegion US\) or a region column'
    }

    It 'reads a region column for the row''s national phone' {
        $t = $script:T[0]
        $path = Join-Path $TestDrive 'regions.csv'
        [IO.File]::WriteAllText($path, "event_type,phone,region,timestamp`nContact,020 7946 0958,GB,$t`nContact,(213) 373-4253,US,$t`n")
        $summary = Send-OfflineEvent -Path $path -EventSetId $script:Set
        $summary.Delivered | Should -Be 2
        @((Get-Ledger $script:Set).user.phone | Sort-Object) | Should -Be @((Sha '+442079460958'), (Sha '+12133734253') | Sort-Object)
    }

    It 'counts rows without email or phone as Unidentified, apart from rejects, and -MaxRejectPercent does not trip' {
        $t = $script:T[0]
        $path = New-Export 'walk-ins.csv' @(
            @(1..7 | ForEach-Object { "Purchase,,,$t,5,USD,,1,SKU-$_,," }) + @(1..3 | ForEach-Object { "Purchase,c$_@example.com,,$t,5,USD,,1,SKU-$_,," })
        )
        $summary = Send-OfflineEvent -Path $path -EventSetId $script:Set -MaxRejectPercent 0 -ErrorVariable errors
        $summary.Unidentified | Should -Be 7
        $summary.Rejected | Should -Be 0
        $summary.Delivered | Should -Be 3
        $summary.RejectedPercent | Should -Be 0
        @($errors).Count | Should -Be 0
        $summary.Coverage.Neither | Should -Be 7
        Test-RowsAddUp $summary
    }

    It '-MaxRejectPercent counts and names rejects against the rows that could be sent, not the unidentified ones' {
        $t = $script:T[0]
        $path = New-Export 'walk-ins-and-a-bad-one.csv' @(
            @(1..7 | ForEach-Object { "Purchase,,,$t,5,USD,,1,SKU-$_,," }) + @(1..3 | ForEach-Object { "Purchase,d$_@example.com,,$t,5,USD,,1,SKU-$_,," }) +
            @("Purchase,bad@example,,$t,5,USD,,1,SKU-9,,")
        )
        $caught = $null
        try { Send-OfflineEvent -Path $path -EventSetId $script:Set -MaxRejectPercent 10 -ErrorAction SilentlyContinue | Out-Null } catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.TooManyRejects*'
        $caught.Exception.Message | Should -Match '^1 of 4 rows \(25 %\) were rejected'
    }
}

Describe 'Test-OfflineEventFile and Export-OfflineEventFile: identity and price' {
    It 'Test reports rows without email or phone as one issue with a count, and the identity coverage' {
        $t = $script:T[0]
        $path = New-Export 'check.csv' @(
            @(1..250 | ForEach-Object { "Purchase,,,$t,5,USD,,1,SKU,," }) + "Purchase,a@example.com,+1 213 373 4253,$t,5,USD,,1,SKU,," + "Purchase,b@example.com,,$t,5,USD,,1,SKU,," + "Purchase,bad@example,+1 213 373 4254,$t,5,USD,,1,SKU,,"
        )
        $r = Test-OfflineEventFile $path
        $r.Errors | Should -Be 0
        $r.Unidentified | Should -Be 250
        $r.RuleCounts['IdentityMissing'] | Should -Be 250
        @($r.Issues | Where-Object Rule -EQ 'IdentityMissing').Count | Should -Be 1
        $r.Coverage.Email | Should -Be 2
        $r.Coverage.Phone | Should -Be 2
        $r.Coverage.Both | Should -Be 1
        $r.Coverage.Neither | Should -Be 250
    }

    It 'Export writes a row with an invalid email and a valid phone with the phone only, with the warning' {
        $t = $script:T[0]
        $path = New-Export 'export-keys.csv' @("Purchase,jo@example,(213) 373-4253,$t,5,USD,X-1,1,SKU,,", "Purchase,,,$t,5,USD,X-2,1,SKU,,")
        $out = Join-Path $TestDrive 'upload-keys.csv'
        $result = Export-OfflineEventFile $out -InputPath $path -DefaultRegion US -WarningVariable warnings
        $result.Written | Should -Be 1
        $result.Rejected | Should -Be 0
        $result.Unidentified | Should -Be 1
        $result.WarningsByRule['EmailInvalid'] | Should -Be 1
        $row = Import-Csv $out
        $row.email | Should -BeNullOrEmpty
        $row.phone | Should -Be (Sha '+12133734253')
        @($warnings | Where-Object { "$_" -match 'EmailInvalid' }).Count | Should -Be 1
    }

    It 'Export writes the row''s total as price: as given by default, price x quantity with -PriceIs UnitPrice' {
        $t = $script:T[0]
        $path = New-Export 'export-price.csv' @("Purchase,a@example.com,,$t,30.00,USD,P-1,3,SKU,,")
        $out = Join-Path $TestDrive 'upload-price.csv'
        $null = Export-OfflineEventFile $out -InputPath $path -Force
        (Import-Csv $out).price | Should -Be '30.00'
        $null = Export-OfflineEventFile $out -InputPath $path -Force -PriceIs UnitPrice
        [decimal](Import-Csv $out).price | Should -Be 90
    }
}
