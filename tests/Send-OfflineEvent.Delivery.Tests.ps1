# Send-OfflineEvent against what a server may answer: HTTP errors with a success body, redirects, a malformed
# envelope, strings echoing the token, outages, partial success; and events repeated in one run. Real sandbox, real HTTP.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    function Get-Ledger([string] $Set) { @(Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$Set") }
    # The events a journal (an SQLite database) holds for the orders of $script:File.
    function Get-Journaled([string] $Path) {
        @(if (Test-Path $Path) { Import-Csv $script:File | ForEach-Object order_id | Get-OfflineEventDelivery -JournalPath $Path })
    }
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'Send-OfflineEvent and what the server answers' {
    BeforeEach {
        $script:Set = (New-OfflineEventSet -Name "answers $(New-Guid)").EventSetId
        $script:File = Join-Path $TestDrive "rows-$(New-Guid).csv"
        New-TestEventFile -Path $script:File -Rows 20
        $script:Journal = Join-Path $TestDrive "run-$(New-Guid).journal"
    }
    AfterEach {
        Invoke-RestMethod -Method Delete "$($script:Sandbox.Uri)sandbox/faults" | Out-Null
        Connect-TestSandbox $script:Sandbox
    }

    It 'never counts an HTTP 500 as delivered, even with a {"code":0} body' {
        Set-SandboxFault $script:Sandbox @{ RandomRate = 1.0; RandomPath = 'event/track'; RandomFaults = @(
                @{ Kind = 'Http'; Status = 500; Body = '{"code":0,"message":"OK","request_id":"{request_id}","data":{}}' }) }
        $err = $null
        try { Send-OfflineEvent -Path $script:File -EventSetId $script:Set -JournalPath $script:Journal -FailedBatchPauseSec 0 -WarningAction SilentlyContinue | Out-Null }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.CircuitOpen,*'
        $err.Exception.Message | Should -Match 'HTTP 500'
        $err.ErrorDetails.Message | Should -Match 'Delivered so far: 0; not sent: 20'
        Get-Journaled $script:Journal | Should -BeNullOrEmpty
        Get-Ledger $script:Set | Should -BeNullOrEmpty
    }

    It 'does not follow a <Status> redirect to another origin, so the token goes nowhere else' -TestCases @(@{ Status = 307 }, @{ Status = 302 }) {
        $elsewhere = Start-TestSandbox
        try {
            Set-SandboxFault $script:Sandbox @{ Rules = @(@{ Kind = 'Http'; Status = $Status; Path = 'event/track'
                        Location = "$($elsewhere.Uri)open_api/v1.3/event/track/?leak=query-text" }) }
            $err = $null
            try { Send-OfflineEvent -Path $script:File -EventSetId $script:Set -JournalPath $script:Journal | Out-Null } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.ApiError,*'
            $err.Exception.Message | Should -Match "HTTP $Status"
            $err.Exception.Message | Should -Match ([regex]::Escape("http://127.0.0.1:$($elsewhere.Uri.Port)"))
            $err.Exception.Message | Should -Not -Match 'query-text'
            (Get-SandboxStats $elsewhere).requests | Should -Be 0
            (Get-SandboxStats $script:Sandbox).faults_injected | Should -BeGreaterThan 0
            Get-Journaled $script:Journal | Should -BeNullOrEmpty
        }
        finally { Stop-TestSandbox $elsewhere }
    }

    It 'reports a "code":"0" envelope as malformed, not as a JSON reader failure' {
        Set-SandboxFault $script:Sandbox @{ Rules = @(@{ Kind = 'Http'; Status = 200; Path = 'event/track'
                    Body = '{"code":"0","message":"OK","request_id":"{request_id}","data":{}}' }) }
        $err = $null
        try { Send-OfflineEvent -Path $script:File -EventSetId $script:Set -JournalPath $script:Journal | Out-Null } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.ApiError,*'
        $err.Exception.Message | Should -Match 'malformed: its "code" is the string "0", not an integer \(request id \d+\)'
        $err.Exception.Message | Should -Not -Match 'unexpectedly|Number'
        Get-Journaled $script:Journal | Should -BeNullOrEmpty
    }

    It 'keeps a token echoed by the server out of every stream, error, journal and reject file' {
        $token = Get-TestToken
        Set-SandboxFault $script:Sandbox @{ Rules = @(
                @{ Kind = 'Http'; Status = 200; Path = 'event/track'; Body = '{"code":40002,"message":"data.0.event_time: token {token} is wrong","request_id":"{token}","data":{}}' }
                @{ Kind = 'Http'; Status = 200; Path = 'event/track'; Body = '{"code":0,"message":"OK {token}","request_id":"req-{token}","data":{"echo":"{token}"}}' }) }
        $rejects = Join-Path $TestDrive 'echo-rejects.csv'
        $all = & { Send-OfflineEvent -Path $script:File -EventSetId $script:Set -JournalPath $script:Journal -RejectPath $rejects -PassThru -Verbose -Debug -ErrorAction Continue } *>&1 |
            ForEach-Object { $_; if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.TargetObject } } | Out-String -Width 400
        $all += Get-Content $script:Journal -Raw
        $all += Get-Content $rejects -Raw -ErrorAction SilentlyContinue
        $all | Should -Not -Match ([regex]::Escape($token))
        $all | Should -Match 'req-\*{8}'
        # The echo reached both places: TikTok's reason for the one event it named, and the batch's journal line.
        (Get-Journaled $script:Journal).Count | Should -Be 19
        @(Import-Csv $rejects).Count | Should -Be 1

        Set-SandboxFault $script:Sandbox @{ Rules = @(
                @{ Kind = 'Http'; Status = 200; Path = 'event/track'; Body = '{"code":40001,"message":"no permission for {token}","request_id":"{token}","data":{}}' }) }
        $other = Join-Path $TestDrive 'other.csv'; New-TestEventFile -Path $other -Rows 3 -Offset 100
        $err = $null
        try { Send-OfflineEvent -Path $other -EventSetId $script:Set -JournalPath $script:Journal | Out-Null } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        ($err | Format-List * -Force | Out-String) + $err.Exception.Message + $err.ErrorDetails.Message | Should -Not -Match ([regex]::Escape($token))
        Get-Content $script:Journal -Raw | Should -Not -Match ([regex]::Escape($token))
    }

    It 'rides out a short outage with -ThrottleLimit <Limit>, pausing between tries' -TestCases @(@{ Limit = 1 }, @{ Limit = 4 }) {
        $file = Join-Path $TestDrive "outage-$Limit.csv"; New-TestEventFile -Path $file -Rows 40
        # 1 s from the first request; a third round starts after two 0.7 s pauses, past the outage.
        Set-SandboxFault $script:Sandbox @{ Rules = @(@{ Kind = 'Http'; Status = 503; DurationMs = 1000; Path = 'event/track' }) }
        Connect-TestSandbox $script:Sandbox -MaxRetryCount 1
        $summary = Send-OfflineEvent -Path $file -EventSetId $script:Set -BatchSize 10 -ThrottleLimit $Limit -FailedBatchPauseSec 0.7 -WarningVariable warnings -WarningAction SilentlyContinue
        $summary.Delivered | Should -Be 40
        $summary.NotSent | Should -Be 0
        @($warnings | Where-Object { "$_" -match 'Trying it again in 0.7 s' }).Count | Should -BeGreaterThan 0
        (Get-Ledger $script:Set).Count | Should -Be 40
    }

    It 'does not journal a 20001 partial success, warns with its request id, and the next run resends it' {
        Set-SandboxFault $script:Sandbox @{ Rules = @(@{ Kind = 'Api'; Code = 20001; Times = 1; Path = 'event/track' }) }
        $first = Send-OfflineEvent -Path $script:File -EventSetId $script:Set -JournalPath $script:Journal -WarningVariable warnings -WarningAction SilentlyContinue
        $first.Delivered | Should -Be 0
        $first.NotSent | Should -Be 20
        Get-Journaled $script:Journal | Should -BeNullOrEmpty
        ($warnings -join "`n") | Should -Match "20001.*request id $($first.RequestIds[0])"
        $second = Send-OfflineEvent -Path $script:File -EventSetId $script:Set -JournalPath $script:Journal
        $second.Delivered | Should -Be 20
        (Get-Journaled $script:Journal).Count | Should -Be 20
    }
}

Describe 'Send-OfflineEvent API facts' {
    BeforeEach {
        $script:Set = (New-OfflineEventSet -Name "facts $(New-Guid)").EventSetId
        $script:Recent = [DateTimeOffset]::UtcNow.AddHours(-2).ToString('yyyy-MM-ddTHH:mm:ssZ')
    }

    It 'sends 1,000 identical pipeline rows once, without a journal, and counts the repeats' {
        $row = [pscustomobject]@{ event_type = 'Purchase'; email = 'same@example.com'; timestamp = $script:Recent; order_id = 'O-1'; price = '10'; currency = 'USD' }
        $before = (Get-SandboxStats $script:Sandbox).track_requests
        $summary = 1..1000 | ForEach-Object { $row } | Send-OfflineEvent -EventSetId $script:Set
        $summary.Delivered | Should -Be 1
        $summary.Skipped | Should -Be 999
        $summary.DuplicatesInInput | Should -Be 999
        $summary.Read | Should -Be ($summary.Delivered + $summary.Skipped + $summary.Rejected + $summary.NotSent)
        (Get-SandboxStats $script:Sandbox).track_requests - $before | Should -Be 1
        (Get-Ledger $script:Set).Count | Should -Be 1
        ($summary | Out-String) | Should -Match '999 \(999 repeated in the input\)'
    }

    It 'sends partner_name only with -PartnerName, and puts -TestEventCode inside each event' {
        $rows = 1..2 | ForEach-Object { [pscustomobject]@{ event_type = 'Purchase'; email = "p$_@example.com"; timestamp = $script:Recent; order_id = "PN-$_" } }
        ($rows | Send-OfflineEvent -EventSetId $script:Set -TestEventCode TEST77).Delivered | Should -Be 2
        (Get-Ledger $script:Set).payload.test_event_code | Should -Be @('TEST77', 'TEST77')
        $third = [pscustomobject]@{ event_type = 'Purchase'; email = 'p3@example.com'; timestamp = $script:Recent; order_id = 'PN-3' }
        ($third | Send-OfflineEvent -EventSetId $script:Set -PartnerName OfflineEventsSandboxPartner).Delivered | Should -Be 1
        $err = $null
        $fourth = [pscustomobject]@{ event_type = 'Purchase'; email = 'p4@example.com'; timestamp = $script:Recent; order_id = 'PN-4' }
        try { $fourth | Send-OfflineEvent -EventSetId $script:Set -PartnerName 'Not Registered' | Out-Null } catch { $err = $_ }
        $err.Exception.Message | Should -Match '40063|partner_name'
        (Get-Ledger $script:Set).Count | Should -Be 3
    }
}
