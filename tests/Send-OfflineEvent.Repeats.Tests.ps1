BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    # The check for repeated events spills to temporary files past OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY distinct events
    # (250,000 by default); these tests make it spill after 8, into a folder of their own.
    function Get-SeenFiles([string] $Folder) { @(Get-ChildItem -LiteralPath $Folder -Filter 'OfflineEvents.PS.seen-events.tmp-*' -Force) }
    function Invoke-Spilling([string] $Folder, [scriptblock] $Script) {
        $saved = @{}
        $vars = @{ OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY = '8'; TMPDIR = $Folder; TMP = $Folder; TEMP = $Folder }
        foreach ($k in $vars.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $vars[$k]) }
        try { & $Script }
        finally { foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) } }
    }
    # 300 orders of one line, then rows 1-100 again: each repeat comes 200 or more events after the first, long spilled.
    # -GroupBy None: every row is an event of its own, taken as it is read (an order would wait open for its lines).
    $script:Repeats = Join-Path $TestDrive 'repeats.csv'
    New-TestEventFile -Path $script:Repeats -Rows 300
    $lines = Get-Content $script:Repeats
    $lines[1..100] | Add-Content $script:Repeats
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'Send-OfflineEvent: repeats within a run, in bounded memory' {
    It 'sends a repeat of an event spilled to disk once and counts it, skips nothing else, and removes its temporary files' {
        $set = (New-OfflineEventSet -Name "repeats $(New-Guid)").EventSetId
        $folder = (New-Item -ItemType Directory (Join-Path $TestDrive 'tmp-ok')).FullName
        $during = [Collections.Generic.List[int]]::new()
        # Slow batches, one at a time: the reader waits for a free batch slot, so the first batches' results are written
        # (and the folder looked at) while the run still reads.
        Set-SandboxFault $script:Sandbox @{ rules = @(@{ kind = 'Delay'; delayMs = 200; times = 1000; path = 'event/track' }) }
        try {
            $summary = Invoke-Spilling $folder {
                Send-OfflineEvent -Path $script:Repeats -EventSetId $set -GroupBy None -BatchSize 50 -ThrottleLimit 1 -PassThru -Verbose 4>&1 | ForEach-Object {
                    if ($_.GetType().Name -eq 'BatchResult') { $during.Add((Get-SeenFiles $folder).Count) }
                    elseif ($_ -is [System.Management.Automation.VerboseRecord]) { if ("$_" -like 'OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY*') { $script:VerboseSeen = "$_" } }
                    else { $_ }
                }
            }
        }
        finally { Invoke-RestMethod -Method Delete "$($script:Sandbox.Uri)sandbox/faults" | Out-Null }
        ($during | Measure-Object -Maximum).Maximum | Should -BeGreaterThan 0 -Because 'the check spilled while the run went on'
        $script:VerboseSeen | Should -Match 'keeps 8 events in memory'
        $summary.Read | Should -Be 400
        $summary.Delivered | Should -Be 300
        $summary.DuplicatesInInput | Should -Be 100
        $summary.Skipped | Should -Be 100
        (Get-SandboxLedgerId $script:Sandbox $set).Count | Should -Be 300
        Get-SeenFiles $folder | Should -BeNullOrEmpty
    }

    It 'removes its temporary files when the run fails' {
        $set = (New-OfflineEventSet -Name "repeats-fail $(New-Guid)").EventSetId
        $folder = (New-Item -ItemType Directory (Join-Path $TestDrive 'tmp-fail')).FullName
        Set-SandboxFault $script:Sandbox @{ rules = @(@{ kind = 'Api'; code = 40001; times = 1000; path = 'event/track' }) }
        try {
            { Invoke-Spilling $folder { Send-OfflineEvent -Path $script:Repeats -EventSetId $set -GroupBy None -BatchSize 50 | Out-Null } } |
                Should -Throw -ErrorId 'OfflineEvents.PermissionDenied*'
        }
        finally { Invoke-RestMethod -Method Delete "$($script:Sandbox.Uri)sandbox/faults" | Out-Null }
        Get-SeenFiles $folder | Should -BeNullOrEmpty
    }

    It 'ends the run with TemporaryFileFailed naming the folder when its temporary files fail under it, and removes them' -Skip:(-not $IsLinux) {
        $set = (New-OfflineEventSet -Name "repeats-cut $(New-Guid)").EventSetId
        $folder = (New-Item -ItemType Directory (Join-Path $TestDrive 'tmp-cut')).FullName
        # 2,000 rows, then rows 1-300 again. Piped rows are taken on this thread, a few hundred behind: at row 2,000 the
        # spilled files are cut short (truncate(1) ignores .NET's lock, as a failing disk would), and the repeats must be
        # looked up in them.
        $csv = Join-Path $TestDrive 'repeats-2000.csv'
        New-TestEventFile -Path $csv -Rows 2000
        (Get-Content $csv)[1..300] | Add-Content $csv
        $script:Piped = 0
        $caught = $null
        try {
            Invoke-Spilling $folder {
                Import-Csv $csv | ForEach-Object {
                    if (++$script:Piped -eq 2000) { Get-SeenFiles $folder | ForEach-Object { & truncate -s 0 $_.FullName } }
                    $_
                } | Send-OfflineEvent -EventSetId $set -GroupBy None -BatchSize 50 -ErrorAction Stop | Out-Null
            }
        }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.TemporaryFileFailed*'
        $caught.CategoryInfo.Category | Should -Be 'ReadError'
        $caught.TargetObject | Should -Be $folder
        "$($caught.ErrorDetails.Message)" | Should -Match ([regex]::Escape("'$folder'"))
        "$($caught.ErrorDetails.Message)" | Should -Match 'run again'
        Get-SeenFiles $folder | Should -BeNullOrEmpty
    }

    It 'warns once and keeps going in memory when the temporary folder takes no file' {
        $set = (New-OfflineEventSet -Name "repeats-nofolder $(New-Guid)").EventSetId
        $missing = Join-Path $TestDrive 'no-such-folder'
        # Warnings through the output: -WarningVariable would set its variable in the script block's scope.
        $out = Invoke-Spilling $missing { Send-OfflineEvent -Path $script:Repeats -EventSetId $set -GroupBy None 3>&1 }
        $warns = @($out | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
        $summary = $out | Where-Object { $_.GetType().Name -eq 'DeliverySummary' }
        $summary.Delivered | Should -Be 300
        $summary.DuplicatesInInput | Should -Be 100
        @($warns | Where-Object { "$_" -match 'could not write its temporary files' }).Count | Should -Be 1
    }

    It 'warns about an OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY that is no number, and uses the default' {
        $saved = $env:OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY
        $env:OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY = 'lots'
        $set = (New-OfflineEventSet -Name "repeats-env $(New-Guid)").EventSetId
        try { $summary = Send-OfflineEvent -Path $script:Repeats -EventSetId $set -GroupBy None -WhatIf -WarningVariable warns -WarningAction SilentlyContinue }
        finally { $env:OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY = $saved }
        $summary.DuplicatesInInput | Should -Be 100
        "$warns" | Should -Match "OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY is 'lots'.*250,000"
    }
}

Describe 'Send-OfflineEvent: repeats, stopped with Ctrl+C' -Skip:$IsWindows {
    It 'removes its temporary files' {
        $set = (New-OfflineEventSet -Name "repeats-ctrl-c $(New-Guid)").EventSetId
        $folder = (New-Item -ItemType Directory (Join-Path $TestDrive 'tmp-ctrl-c')).FullName
        $file = Join-Path $TestDrive 'ctrl-c.csv'; New-TestEventFile -Path $file -Rows 3000 -Offset 700000
        $vars = @{ OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser; OFFLINEEVENTS_ACCESS_TOKEN = Get-TestToken; OFFLINEEVENTS_API_URI = "$($script:Sandbox.Uri)"
            OFFLINEEVENTS_SEEN_EVENTS_IN_MEMORY = '8'; TMPDIR = $folder }
        $p = Start-ChildPwsh -Environment $vars -Command ("Import-Module '$env:OEPS_TEST_MODULE'; " +
            "Send-OfflineEvent -Path '$file' -EventSetId $set -GroupBy None -BatchSize 10 -ThrottleLimit 1 -MaxRequestsPerSecond 10 | Out-Null")
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (((Get-SandboxLedgerId $script:Sandbox $set).Count -lt 30 -or -not (Get-SeenFiles $folder)) -and [DateTime]::UtcNow -lt $deadline -and -not $p.HasExited) { Start-Sleep -Milliseconds 100 }
        $p.HasExited | Should -BeFalse -Because 'the send must still be running when it is stopped'
        Get-SeenFiles $folder | Should -Not -BeNullOrEmpty -Because 'the check had spilled'
        & kill -INT $p.Id
        $stdout = $p.StandardOutput.ReadToEndAsync(); $stderr = $p.StandardError.ReadToEndAsync()
        $p.WaitForExit(60000) | Should -BeTrue
        "$($stdout.Result)$($stderr.Result)" | Should -Match 'Send-OfflineEvent was stopped'
        Get-SeenFiles $folder | Should -BeNullOrEmpty
    }
}
