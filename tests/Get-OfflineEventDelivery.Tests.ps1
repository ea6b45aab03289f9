BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'Get-OfflineEventDelivery after several runs' {
    BeforeAll {
        $script:Set = (New-OfflineEventSet -Name "history $(New-Guid)").EventSetId
        $script:Journal = Join-Path $TestDrive 'history.journal'
        $script:A = Join-Path $TestDrive 'a.csv'; New-TestEventFile -Path $script:A -Rows 1500
        $script:B = Join-Path $TestDrive 'b.csv'; New-TestEventFile -Path $script:B -Rows 1700
        $script:Start = [DateTime]::UtcNow.AddSeconds(-1)
        $script:Runs = @(
            Send-OfflineEvent -Path $script:A -EventSetId $script:Set -JournalPath $script:Journal -BatchSize 500
            Send-OfflineEvent -Path $script:B -EventSetId $script:Set -JournalPath $script:Journal -BatchSize 500
            Import-Csv $script:A | Select-Object -First 10 | Send-OfflineEvent -EventSetId $script:Set -JournalPath $script:Journal
        )
    }

    It 'lists every run with its times, inputs, counts and request ids' {
        $runs = @(Get-OfflineEventDelivery $script:Journal)
        $runs.Count | Should -Be 3
        $runs[0].GetType().FullName | Should -Be 'OfflineEvents.Core.Delivery.DeliveryRun'
        $runs.Outcome | Should -Be @('Completed', 'Completed', 'Completed')
        $runs.EventSetId | Should -Be @($script:Set, $script:Set, $script:Set)
        $runs[0].Inputs | Should -Be $script:A
        $runs[1].Inputs | Should -Be $script:B
        $runs[2].Inputs | Should -Be '(pipeline)'
        $runs.Read | Should -Be @(1500, 1700, 10)
        $runs.Delivered | Should -Be @(1500, 200, 0)
        $runs.Skipped | Should -Be @(0, 1500, 10)
        $runs.Batches | Should -Be @(3, 1, 0)
        $runs[0].Started | Should -BeGreaterOrEqual $script:Start
        $runs[0].Ended | Should -BeGreaterOrEqual $runs[0].Started
        $runs[1].Started | Should -BeGreaterOrEqual $runs[0].Ended
        # Batches finish concurrently: the journal lists a run's request ids in the order it wrote the batches, the
        # summary in the order they completed, so the two lists hold the same ids in an order that can differ.
        $runs[0].RequestIds -split '; ' | Sort-Object | Should -Be ($script:Runs[0].RequestIds | Sort-Object)
        @($runs[0].RequestIds -split '; ').Count | Should -Be 3
    }

    It 'takes -Last and -Since' {
        (Get-OfflineEventDelivery $script:Journal -Last 2).Inputs | Should -Be @($script:B, '(pipeline)')
        @(Get-OfflineEventDelivery $script:Journal -Since ([DateTime]::UtcNow.AddMinutes(5))).Count | Should -Be 0
        @(Get-OfflineEventDelivery $script:Journal -Since $script:Start).Count | Should -Be 3
    }

    It 'shows the events of an order with the time sent and the request id TikTok gave that batch' {
        $e = Get-OfflineEventDelivery $script:Journal -OrderId ORD-1600
        $e.GetType().FullName | Should -Be 'OfflineEvents.Core.Delivery.DeliveredEvent'
        $e.OrderId | Should -Be 'ORD-1600'
        $e.Event | Should -Be 'Purchase'
        $e.EventSetId | Should -Be $script:Set
        $e.RequestId | Should -BeIn $script:Runs[1].RequestIds
        $e.SentAt | Should -BeGreaterOrEqual $script:Start
        $ledger = Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$($script:Set)"
        ($ledger | Where-Object event_id -EQ $e.EventId).request_id | Should -Be $e.RequestId
        @(Get-OfflineEventDelivery $script:Journal -OrderId NO-SUCH-ORDER).Count | Should -Be 0
    }

    It 'takes order ids from the pipeline (a CSV''s order_id column) and pipes to Export-Csv' {
        $out = Join-Path $TestDrive 'delivered.csv'
        Import-Csv $script:B | Select-Object -Last 3 | Get-OfflineEventDelivery -JournalPath $script:Journal | Export-Csv $out -NoTypeInformation
        $rows = Import-Csv $out
        $rows.OrderId | Should -Be @('ORD-1698', 'ORD-1699', 'ORD-1700')
        $rows[0].RequestId | Should -Not -BeNullOrEmpty
        $rows[0].SentAt | Should -Not -BeNullOrEmpty
        (Import-Csv $out | Get-Member -MemberType NoteProperty).Name | Should -Not -Contain 'email'
    }

    It 'formats runs and events as tables' {
        (Get-OfflineEventDelivery $script:Journal | Out-String) | Should -Match 'Delivered'
        (Get-OfflineEventDelivery $script:Journal -OrderId ORD-1 | Out-String) | Should -Match 'ORD-1\s+Purchase'
    }

    It 'works while a run holds the journal, and shows that run as Running' {
        $big = Join-Path $TestDrive 'big.csv'; New-TestEventFile -Path $big -Rows 20000 -Offset 10000
        $env = @{ OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser; OFFLINEEVENTS_ACCESS_TOKEN = Get-TestToken; OFFLINEEVENTS_API_URI = "$($script:Sandbox.Uri)" }
        $p = Start-ChildPwsh -Command "Import-Module '$env:OEPS_TEST_MODULE'; Send-OfflineEvent -Path '$big' -EventSetId $($script:Set) -JournalPath '$($script:Journal)' -BatchSize 100 -ThrottleLimit 1 -MaxRequestsPerSecond 20 | Out-Null" -Environment $env
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do { Start-Sleep -Milliseconds 100; $last = Get-OfflineEventDelivery $script:Journal -Last 1 }
            while (($last.Outcome -ne 'Running' -or $last.Delivered -lt 200) -and [DateTime]::UtcNow -lt $deadline)
            $last.Outcome | Should -Be 'Running'
            $last.Ended | Should -BeNullOrEmpty
            $last.Delivered | Should -BeGreaterOrEqual 200
            (Get-OfflineEventDelivery $script:Journal -OrderId ORD-10001).RequestId | Should -Not -BeNullOrEmpty
        }
        finally { $p.Kill(); $p.WaitForExit() }
        (Get-OfflineEventDelivery $script:Journal -Last 1).Outcome | Should -Be 'Interrupted'
    }
}

Describe 'Get-OfflineEventDelivery errors' {
    It 'says when there is no journal' {
        { Get-OfflineEventDelivery (Join-Path $TestDrive 'none.journal') } | Should -Throw -ErrorId 'OfflineEvents.FileNotFound,*'
    }

    It 'refuses a file that is not a journal, and leaves it as it is' {
        $csv = Join-Path $TestDrive 'not.csv'; Set-Content $csv 'event_type,email'
        { Get-OfflineEventDelivery $csv } | Should -Throw -ErrorId 'OfflineEvents.Delivery.JournalUnavailable,*'
        Get-Content $csv | Should -Be 'event_type,email'
    }
}
