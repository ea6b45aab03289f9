# Issue 16 item 1: several columns for one identifier (Phone, Mobile, Billing Phone); every distinct valid value is
# sent, on both routes, over real HTTP to the sandbox, checked against its ledger; Test's coverage; Export's first
# valid value; a reject file with a bad second phone holds it masked.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    function Sha([string] $text) {
        $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($text))
        [Convert]::ToHexString($bytes).ToLowerInvariant()
    }
    function Get-Ledger([string] $Set) { @(Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$Set").payload }
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $t = [DateTimeOffset]::UtcNow.AddHours(-3).ToString('yyyy-MM-ddTHH:mm:ssZ')
    $script:Map = @{ phone = 'Phone', 'Mobile', 'Billing Phone' }
    $script:Path = Join-Path $TestDrive 'leads.csv'
    [IO.File]::WriteAllText($script:Path, (@(
            'event_type,Email,Phone,Mobile,Billing Phone,timestamp,price,currency,order_id,product_id'
            # Three phone columns, the third the first again once normalized.
            "Purchase,ann@example.com,+1 (212) 555-0101,(213) 373-4253,2125550101,$t,10,USD,A1,SKU-1"
            # The order's second line: a phone in Billing Phone only (read only when mapped).
            "Purchase,,,,+44 20 7946 0958,$t,5,USD,A1,SKU-2"
            # An invalid Phone beside a valid Mobile: sent with the Mobile.
            "Purchase,,12,(213) 373-4253,,$t,7,USD,,SKU-3"
            # Bad price: rejected; its bad Mobile must reach the reject file masked.
            "Purchase,,(213) 373-4253,555-01999,+1 212 555 0199,$t,ten,USD,B2,SKU-4"
        ) -join "`n"))
    $script:P = @{
        Main = Sha '+12125550101'; Mobile = Sha '+12133734253'; Uk = Sha '+442079460958'
    }
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'Send-OfflineEvent: every distinct valid phone of every phone column' {
    BeforeEach { $script:Set = (New-OfflineEventSet -Name "ids $(New-Guid)").EventSetId }

    It 'sends Phone and Mobile (detected) as an array, on -Path and Import-Csv with the same event ids' -ForEach @(
        @{ GroupBy = 'Order' }, @{ GroupBy = 'None' }
    ) {
        $s = Send-OfflineEvent -Path $script:Path -EventSetId $script:Set -DefaultRegion US -GroupBy $GroupBy -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $s.Rejected | Should -Be 1
        $ledger = Get-Ledger $script:Set
        $a1 = @($ledger | Where-Object { $_.properties.order_id -eq 'A1' })[0]
        @($a1.user.phone) | Should -Be @($script:P.Main, $script:P.Mobile)
        $a1.user.email | Should -Be (Sha 'ann@example.com')
        $lone = $ledger | Where-Object { -not $_.properties.order_id }
        $lone.user.phone | Should -Be $script:P.Mobile
        $lone.user.phone | Should -BeOfType [string]

        $piped = (New-OfflineEventSet -Name "ids piped $(New-Guid)").EventSetId
        $null = Import-Csv $script:Path | Send-OfflineEvent -EventSetId $piped -DefaultRegion US -GroupBy $GroupBy -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $viaPipe = Get-Ledger $piped
        @($viaPipe.event_id | Sort-Object) | Should -Be @($ledger.event_id | Sort-Object)
        @(($viaPipe | Where-Object { $_.properties.order_id -eq 'A1' })[0].user.phone) | Should -Be @($script:P.Main, $script:P.Mobile)
    }

    It 'with -ColumnMap also reads Billing Phone, and an order merges its lines'' phones; the same on both routes' {
        $s = Send-OfflineEvent -Path $script:Path -ColumnMap $script:Map -EventSetId $script:Set -DefaultRegion US -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $s.Events | Should -Be 2
        $ledger = Get-Ledger $script:Set
        $a1 = $ledger | Where-Object { $_.properties.order_id -eq 'A1' }
        @($a1.user.phone) | Should -Be @($script:P.Main, $script:P.Mobile, $script:P.Uk)
        ($ledger | Where-Object { -not $_.properties.order_id }).user.phone | Should -Be $script:P.Mobile

        $piped = (New-OfflineEventSet -Name "ids piped $(New-Guid)").EventSetId
        $null = Import-Csv $script:Path | Send-OfflineEvent -ColumnMap $script:Map -EventSetId $piped -DefaultRegion US -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $viaPipe = Get-Ledger $piped
        @($viaPipe.event_id | Sort-Object) | Should -Be @($ledger.event_id | Sort-Object)
        @(($viaPipe | Where-Object { $_.properties.order_id -eq 'A1' }).user.phone) | Should -Be @($script:P.Main, $script:P.Mobile, $script:P.Uk)
    }

    It 'with -GroupBy None each row carries its own distinct phones' {
        $null = Send-OfflineEvent -Path $script:Path -ColumnMap $script:Map -GroupBy None -EventSetId $script:Set -DefaultRegion US -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $lines = @(Get-Ledger $script:Set | Where-Object { $_.properties.order_id -eq 'A1' })
        $lines.Count | Should -Be 2
        @(($lines | Where-Object { $_.properties.contents[0].content_id -eq 'SKU-1' }).user.phone) | Should -Be @($script:P.Main, $script:P.Mobile)
        ($lines | Where-Object { $_.properties.contents[0].content_id -eq 'SKU-2' }).user.phone | Should -Be $script:P.Uk
    }

    It 'warns about the invalid Phone beside a valid Mobile, naming the column, and sends the row' {
        $s = Send-OfflineEvent -Path $script:Path -ColumnMap $script:Map -EventSetId $script:Set -DefaultRegion US -WarningVariable w -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $s.WarningsByRule['PhoneInvalid'] | Should -Be 1
        ($w -join "`n") | Should -Match 'left out'
        ($w -join "`n") | Should -Not -Match '\b12\b,'
    }

    It 'writes a reject file whose bad second phone is masked and whose valid ones are hashed' {
        $rejects = Join-Path $TestDrive "rejects-$(New-Guid).csv"
        $null = Send-OfflineEvent -Path $script:Path -ColumnMap $script:Map -EventSetId $script:Set -DefaultRegion US -RejectPath $rejects -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $text = Get-Content $rejects -Raw
        $text | Should -Not -Match '555-01999'
        $text | Should -Not -Match '01999'
        $text | Should -Not -Match '212 555 0199'
        $text | Should -Not -Match '373-4253'
        $row = Import-Csv $rejects
        # The first phone column under the standard name, the others under their own: none overwrites another.
        $row.phone | Should -Be $script:P.Mobile
        $row.'Billing Phone' | Should -Be (Sha '+12125550199')
        $row.rule_id | Should -Be 'PriceInvalid'
        $row.Mobile | Should -Not -BeNullOrEmpty
        $row.Mobile | Should -Match '•'
    }
}

Describe 'Test-OfflineEventFile and Export-OfflineEventFile read every phone column' {
    It 'Test counts a row as having a valid phone when any phone column is valid, and names the wrong column' {
        $r = Test-OfflineEventFile -Path $script:Path -ColumnMap $script:Map -DefaultRegion US
        $r.Coverage.Phone | Should -Be 4
        $r.Coverage.Neither | Should -Be 0
        $bad = @($r.Issues | Where-Object Rule -EQ 'PhoneInvalid')
        @($bad.Column | Sort-Object) | Should -Be @('Mobile', 'Phone')
        @($bad.Severity | ForEach-Object { "$_" }) | Should -Be @('Warning', 'Warning')
        $r.Errors | Should -Be 1
    }

    It 'Export writes the first valid phone of each row and warns that it left the others out' {
        $out = Join-Path $TestDrive "upload-$(New-Guid).csv"
        $x = Export-OfflineEventFile -Path $out -InputPath $script:Path -ColumnMap $script:Map -DefaultRegion US -WarningVariable w -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
        $x.Written | Should -Be 3
        $rows = @(Import-Csv $out)
        @($rows.phone) | Should -Be @($script:P.Main, $script:P.Uk, $script:P.Mobile)
        $x.WarningsByRule['IdentifiersLeftOut'] | Should -Be 1
        ($w -join "`n") | Should -Match 'IdentifiersLeftOut|the upload file takes one'
    }

    It 'ConvertTo-HashedPii hashes every mapped phone column on its own, to the hashes Send sends' {
        $rows = @(Import-Csv $script:Path | ConvertTo-HashedPii -ColumnMap $script:Map -DefaultRegion US -WarningAction SilentlyContinue -ErrorAction SilentlyContinue)
        $rows[0].Phone | Should -Be $script:P.Main
        $rows[0].Mobile | Should -Be $script:P.Mobile
        $rows[0].'Billing Phone' | Should -Be $script:P.Main
        $rows[1].'Billing Phone' | Should -Be $script:P.Uk
        $rows[2].Mobile | Should -Be $script:P.Mobile
        $rows[2].Phone | Should -Not -Be '12'
    }
}
