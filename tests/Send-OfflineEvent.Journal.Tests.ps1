# Send-OfflineEvent's journal as a database: overlapping runs, full and read-only disks, old journals, retention.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $script:ChildEnv = @{
        OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser; OFFLINEEVENTS_ACCESS_TOKEN = Get-TestToken; OFFLINEEVENTS_API_URI = "$($script:Sandbox.Uri)"
    }
    # A small filesystem of our own (root only: mount), for a disk that fills up and one that is read-only.
    function New-SmallDisk([string] $size) {
        $folder = Join-Path ([IO.Path]::GetTempPath()) "oeps-disk-$(New-Guid)"
        $null = New-Item -ItemType Directory $folder
        & mount -t tmpfs -o "size=$size" tmpfs $folder 2>$null
        if ($LASTEXITCODE -ne 0) { Remove-Item $folder; return $null }
        $folder
    }
    function Remove-SmallDisk([string] $folder) {
        if ($folder) { & umount $folder; Remove-Item $folder -Recurse -Force -ErrorAction SilentlyContinue }
    }
    $script:CanMount = $null -ne ($probe = New-SmallDisk 64k)
    Remove-SmallDisk $probe
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'Send-OfflineEvent: one run at a time per journal' {
    It 'sends each event once when two processes overlap on one journal, one of them through a symlink' {
        $set = (New-OfflineEventSet -Name "overlap $(New-Guid)").EventSetId
        $file = Join-Path $TestDrive 'overlap.csv'; New-TestEventFile -Path $file -Rows 20000
        $journal = Join-Path $TestDrive 'state/overlap.journal'
        $null = New-Item -ItemType Directory (Join-Path $TestDrive 'state'), (Join-Path $TestDrive 'other')
        $link = Join-Path $TestDrive 'other/link.journal'
        $null = New-Item -ItemType SymbolicLink -Path $link -Target $journal
        $before = Get-SandboxStats $script:Sandbox
        $send = "Import-Module '$env:OEPS_TEST_MODULE'; `$s = Send-OfflineEvent -Path '$file' -EventSetId $set -JournalPath '{0}' -BatchSize 100 -MaxRequestsPerSecond 40 -JournalWaitSec 120 -WarningAction SilentlyContinue; 'RESULT:' + `$s.Delivered + ':' + `$s.Skipped"
        $first = Start-ChildPwsh -Command ($send -f $journal) -Environment $script:ChildEnv
        # The second starts while the first is sending.
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((Get-SandboxLedgerId $script:Sandbox $set).Count -lt 300 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $second = Start-ChildPwsh -Command ($send -f $link) -Environment $script:ChildEnv
        $out1 = $first.StandardOutput.ReadToEnd(); $first.WaitForExit()
        $out2 = $second.StandardOutput.ReadToEnd(); $second.WaitForExit()
        $after = Get-SandboxStats $script:Sandbox
        $out1 | Should -Match 'RESULT:20000:0'
        $out2 | Should -Match 'RESULT:0:20000'
        $ids = Get-SandboxLedgerId $script:Sandbox $set
        $ids.Count | Should -Be 20000
        # Never both sent: TikTok (the sandbox) saw no event twice.
        $after.events_deduplicated - $before.events_deduplicated | Should -Be 0
        $after.events_accepted - $before.events_accepted | Should -Be 20000
    }

    It 'gives up after -JournalWaitSec with JournalBusy and sends nothing' {
        $set = (New-OfflineEventSet -Name "busy $(New-Guid)").EventSetId
        $file = Join-Path $TestDrive 'busy.csv'; New-TestEventFile -Path $file -Rows 20000
        $small = Join-Path $TestDrive 'busy-small.csv'; New-TestEventFile -Path $small -Rows 10 -Offset 50000
        $journal = Join-Path $TestDrive 'busy.journal'
        $holder = Start-ChildPwsh -Command "Import-Module '$env:OEPS_TEST_MODULE'; Send-OfflineEvent -Path '$file' -EventSetId $set -JournalPath '$journal' -BatchSize 100 -MaxRequestsPerSecond 20 | Out-Null" -Environment $script:ChildEnv
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-SandboxLedgerId $script:Sandbox $set).Count -lt 100 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $err = $null
            try { Send-OfflineEvent -Path $small -EventSetId $set -JournalPath $journal -JournalWaitSec 1 | Out-Null } catch { $err = $_ }
            $clock.Elapsed.TotalSeconds | Should -BeGreaterOrEqual 0.9
            $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.JournalBusy,*'
            $err.CategoryInfo.Category | Should -Be 'ResourceBusy'
            $err.TargetObject | Should -Be $journal
            "$err" | Should -Match 'in use by another run'
            "$err" | Should -Not -Match 'Is another Send-OfflineEvent using it'
        }
        finally {
            $holder.Kill(); $holder.WaitForExit()
        }
        # Once the holder is gone, the same command runs; TikTok sees the small file's events for the first time.
        $before = Get-SandboxStats $script:Sandbox
        (Send-OfflineEvent -Path $small -EventSetId $set -JournalPath $journal -JournalWaitSec 5).Delivered | Should -Be 10
        (Get-SandboxStats $script:Sandbox).events_deduplicated - $before.events_deduplicated | Should -Be 0
    }
}

Describe 'Send-OfflineEvent: journals that cannot be used' {
    It 'refuses a text journal of the earlier version, says what to do, and leaves it as it is' {
        $journal = Join-Path $TestDrive 'v1.journal'
        $text = "# OfflineEvents.PS delivery journal v1`nB`t2026-11-24T00:00:00Z`treq-1`t1`nE`t1`tPurchase`toe1-abc`n"
        [IO.File]::WriteAllText($journal, $text)
        $file = Join-Path $TestDrive 'v1.csv'; New-TestEventFile -Path $file -Rows 5
        $set = (New-OfflineEventSet -Name "v1 $(New-Guid)").EventSetId
        $err = $null
        try { Send-OfflineEvent -Path $file -EventSetId $set -JournalPath $journal | Out-Null } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.JournalUnavailable,*'
        "$err" | Should -Match 'text journal of an earlier OfflineEvents.PS'
        "$err" | Should -Match 'Give -JournalPath a new file name'
        [IO.File]::ReadAllText($journal) | Should -BeExactly $text
        Test-Path "$journal-wal" | Should -BeFalse
        (Get-SandboxLedgerId $script:Sandbox $set).Count | Should -Be 0
    }

    It 'ends the run with JournalWriteFailed, naming the journal, when its disk fills up' {
        if (-not $script:CanMount) { Set-ItResult -Skipped -Because 'mounting a small tmpfs needs root'; return }
        $disk = New-SmallDisk 160k
        try {
            $set = (New-OfflineEventSet -Name "full $(New-Guid)").EventSetId
            $file = Join-Path $TestDrive 'full.csv'; New-TestEventFile -Path $file -Rows 20000
            $journal = Join-Path $disk 'full.journal'
            $err = $null
            try { Send-OfflineEvent -Path $file -EventSetId $set -JournalPath $journal -BatchSize 500 -ThrottleLimit 1 -WarningAction SilentlyContinue -OutVariable summary | Out-Null } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.JournalWriteFailed,*'
            $err.CategoryInfo.Category | Should -Be 'WriteError'
            $err.TargetObject | Should -Be $journal
            "$err" | Should -Match ([regex]::Escape("The journal '$journal' cannot be written"))
            "$err" | Should -Not -Match 'Is another Send-OfflineEvent using it'
            # The batch TikTok acknowledged counts as delivered, not as NotSent.
            $partial = @($summary)[0]
            $ledger = (Get-SandboxLedgerId $script:Sandbox $set).Count
            $partial.Delivered | Should -Be $ledger
            $partial.Delivered | Should -BeGreaterThan 0
            # Nothing is left behind but the journal and its WAL; what it holds is a prefix of what was sent.
            Get-ChildItem $disk -Name | Where-Object { $_ -notmatch '^full\.journal(-wal|-shm)?$' } | Should -BeNullOrEmpty
        }
        finally { Remove-SmallDisk $disk }
    }

    It 'ends the run with JournalWriteFailed for a read-only journal, which Get-OfflineEventDelivery still reads' {
        if (-not $script:CanMount) { Set-ItResult -Skipped -Because 'mounting a small tmpfs needs root'; return }
        $disk = New-SmallDisk 4m
        try {
            $set = (New-OfflineEventSet -Name "ro $(New-Guid)").EventSetId
            $file = Join-Path $TestDrive 'ro.csv'; New-TestEventFile -Path $file -Rows 50
            $journal = Join-Path $disk 'ro.journal'
            (Send-OfflineEvent -Path $file -EventSetId $set -JournalPath $journal).Delivered | Should -Be 50
            & mount -o remount,ro $disk
            $more = Join-Path $TestDrive 'ro-more.csv'; New-TestEventFile -Path $more -Rows 60
            $err = $null
            try { Send-OfflineEvent -Path $more -EventSetId $set -JournalPath $journal | Out-Null } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.JournalWriteFailed,*'
            $err.TargetObject | Should -Be $journal
            "$err" | Should -Match ([regex]::Escape("The journal '$journal' cannot be written"))
            (Get-SandboxLedgerId $script:Sandbox $set).Count | Should -Be 50
            (Get-OfflineEventDelivery $journal).Delivered | Should -Be 50
        }
        finally { Remove-SmallDisk $disk }
    }
}

Describe 'Send-OfflineEvent -JournalRetentionDays' {
    It 'refuses events older than the window instead of sending them, and prunes nothing recent' {
        $set = (New-OfflineEventSet -Name "retention $(New-Guid)").EventSetId
        $old = [DateTimeOffset]::UtcNow.AddDays(-40).ToString('yyyy-MM-ddTHH:mm:ssZ')
        $recent = [DateTimeOffset]::UtcNow.AddHours(-2).ToString('yyyy-MM-ddTHH:mm:ssZ')
        $csv = Join-Path $TestDrive 'retention.csv'
        "event_type,email,timestamp,order_id`nPurchase,a1@example.com,$old,R-1`nPurchase,a2@example.com,$recent,R-2`nPurchase,a3@example.com,$recent,R-3`n" | Set-Content $csv
        $journal = Join-Path $TestDrive 'retention.journal'
        $rejects = Join-Path $TestDrive 'retention-rejects.csv'
        $summary = Send-OfflineEvent -Path $csv -EventSetId $set -JournalPath $journal -JournalRetentionDays 30 -RejectPath $rejects -ErrorVariable errs -ErrorAction SilentlyContinue
        $summary.Delivered | Should -Be 2
        $summary.Rejected | Should -Be 1
        $summary.RejectsByRule['TimestampBeyondRetention'] | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.Rejected.TimestampBeyondRetention*'
        (Import-Csv $rejects).order_id | Should -Be 'R-1'
        (Import-Csv $rejects).reason | Should -Match 'older than -JournalRetentionDays 30'
        (Get-SandboxLedgerId $script:Sandbox $set).Count | Should -Be 2
        # Without the parameter the same old row is sent (with TikTok's 28-day warning).
        (Send-OfflineEvent -Path $csv -EventSetId $set -JournalPath $journal -WarningAction SilentlyContinue).Delivered | Should -Be 1
        # The recent runs survive pruning: a rerun with retention skips what they sent.
        $again = Send-OfflineEvent -Path $csv -EventSetId $set -JournalPath $journal -JournalRetentionDays 28 -ErrorAction SilentlyContinue
        $again.Skipped | Should -Be 3
        @(Get-OfflineEventDelivery $journal).Count | Should -Be 3
    }

    It '-WhatIf after a killed run changes nothing in the journal, and skips exactly what the rerun skips' {
        $set = (New-OfflineEventSet -Name "whatif-killed $(New-Guid)").EventSetId
        $file = Join-Path $TestDrive 'whatif-killed.csv'; New-TestEventFile -Path $file -Rows 5000
        $journal = Join-Path $TestDrive 'whatif-killed.journal'
        $p = Start-ChildPwsh -Environment $script:ChildEnv -Command "Import-Module '$env:OEPS_TEST_MODULE'; Send-OfflineEvent -Path '$file' -EventSetId $set -JournalPath '$journal' -BatchSize 100 -MaxRequestsPerSecond 20 | Out-Null"
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((Get-SandboxLedgerId $script:Sandbox $set).Count -lt 1000 -and [DateTime]::UtcNow -lt $deadline -and -not $p.HasExited) { Start-Sleep -Milliseconds 50 }
        $p.HasExited | Should -BeFalse -Because 'the run must still be sending when it is killed'
        $p.Kill(); $p.WaitForExit()
        # What the kill left: the database, its WAL and the batches not yet indexed. A run would index them (and
        # prune with -JournalRetentionDays); -WhatIf must leave every byte as it is (but the -shm index, where
        # every reader notes what it reads, and which SQLite rebuilds from the WAL).
        function Get-Fingerprint { (Get-ChildItem "$journal*" | Where-Object Name -NotLike '*-shm' | Sort-Object Name | ForEach-Object { "$($_.Name):$((Get-FileHash $_.FullName).Hash)" }) -join ' ' }
        $before = Get-Fingerprint
        $before | Should -Match '-wal:'
        $preview = Send-OfflineEvent -Path $file -EventSetId $set -JournalPath $journal -JournalRetentionDays 28 -WhatIf -WarningAction SilentlyContinue
        Get-Fingerprint | Should -Be $before
        $rerun = Send-OfflineEvent -Path $file -EventSetId $set -JournalPath $journal -MaxRequestsPerSecond 0 -WarningAction SilentlyContinue
        $rerun.Skipped | Should -BeGreaterThan 0
        $preview.Skipped | Should -Be $rerun.Skipped
        $rerun.Skipped + $rerun.Delivered | Should -Be 5000
    }

    It 'accepts 28 days or more only' {
        { Send-OfflineEvent -Path (Join-Path $TestDrive 'x.csv') -EventSetId 1 -JournalPath (Join-Path $TestDrive 'x.journal') -JournalRetentionDays 27 } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}
