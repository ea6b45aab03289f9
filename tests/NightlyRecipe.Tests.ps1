# The unattended recipe (module/examples/Send-NightlyOfflineEvents.ps1) run the way a scheduler runs it:
# pwsh -NonInteractive -File, the token in the environment, judged by the exit code.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $script:Set = (New-OfflineEventSet -Name "nightly $(New-Guid)").EventSetId
    $script:Recipe = Join-Path (Split-Path $env:OEPS_TEST_MODULE) 'examples/Send-NightlyOfflineEvents.ps1'
    $moduleRoot = Split-Path (Split-Path $env:OEPS_TEST_MODULE)
    $script:TaskEnvironment = @{
        OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser
        OFFLINEEVENTS_ACCESS_TOKEN  = Get-TestToken
        OFFLINEEVENTS_API_URI       = "$($script:Sandbox.Uri)"
        PSModulePath                = $moduleRoot + [IO.Path]::PathSeparator + $env:PSModulePath
    }
    function Invoke-Recipe([string] $Exports, [string] $State, [string[]] $More = @()) {
        Invoke-ChildPwsh -Arguments (@('-File', $script:Recipe, '-Path', $Exports, '-EventSetId', $script:Set, '-StatePath', $State, '-DefaultRegion', 'US') + $More) -Environment $script:TaskEnvironment
    }
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'The nightly recipe' {
    It 'exits 0 for a good export, journals it, and exits 0 again with nothing new to send' {
        $exports = New-Item -ItemType Directory (Join-Path $TestDrive 'good')
        New-TestEventFile -Path (Join-Path $exports 'pos-1.csv') -Rows 2500
        $state = Join-Path $TestDrive 'state-good'
        $run = Invoke-Recipe (Join-Path $exports '*.csv') $state
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'Delivered\s*:\s*2500'
        Test-Path (Join-Path $state "$script:Set.journal") | Should -BeTrue
        $again = Invoke-Recipe (Join-Path $exports '*.csv') $state
        $again.ExitCode | Should -Be 0
        $again.Output | Should -Match 'Skipped\s*:\s*2500'
        $log = Get-ChildItem (Join-Path $state 'logs') -Filter *.log | Get-Content -Raw
        $log | Should -Not -Match ([regex]::Escape((Get-TestToken)))
        $log | Should -Not -Match 'customer\d+@example'
    }

    It 'exits 1 for a bad export (too many rejects) and says why' {
        $exports = New-Item -ItemType Directory (Join-Path $TestDrive 'bad')
        "event_type,email,timestamp`nPurchase,not-an-email,2026-01-01T00:00:00Z`nPurchase,also-bad,yesterday" | Set-Content (Join-Path $exports 'pos.csv')
        $run = Invoke-Recipe (Join-Path $exports '*.csv') (Join-Path $TestDrive 'state-bad')
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match 'OfflineEvents.Send.TooManyRejects'
        $run.Output | Should -Not -Match 'not-an-email'
    }

    # Each "nothing could be read" case: exit 1, and the transcript names the error id and the file.
    It 'exits 1 and says why when <Case>' -ForEach @(
        @{ Case = 'the export is missing'; Exports = 'missing/pos-1.csv'; Id = 'OfflineEvents.FileNotFound'; Says = 'pos-1.csv' }
        @{ Case = 'the wildcard matches nothing'; Exports = 'empty/pos-*.csv'; Id = 'OfflineEvents.FileNotFound'; Says = "No file matches '.*pos-\*\.csv'" }
        @{ Case = 'the file is UTF-16, not UTF-8'; Exports = 'utf16/pos.csv'; Id = 'OfflineEvents.Send.FileRefused'; Says = 'UTF-16' }
        @{ Case = 'the export folder is missing'; Exports = 'gone/pos-*.csv'; Id = 'OfflineEvents.FileNotFound'; Says = 'gone' }
    ) {
        $root = Join-Path $TestDrive "unread-$([guid]::NewGuid().ToString('n'))"
        $null = New-Item -ItemType Directory (Join-Path $root 'empty'), (Join-Path $root 'utf16')
        New-TestEventFile -Path (Join-Path $root 'utf16/pos.csv') -Rows 3
        $text = Get-Content (Join-Path $root 'utf16/pos.csv') -Raw
        [IO.File]::WriteAllText((Join-Path $root 'utf16/pos.csv'), $text, [Text.Encoding]::Unicode)
        $state = Join-Path $root 'state'
        $run = Invoke-Recipe (Join-Path $root $Exports) $state
        $run.ExitCode | Should -Be 1 -Because $run.Output
        $log = Get-ChildItem (Join-Path $state 'logs') -Filter *.log | Get-Content -Raw
        $log | Should -Match "FAILED: $([regex]::Escape($Id)): .*$Says"
    }

    It 'names the reject file only when one was written' {
        $exports = New-Item -ItemType Directory (Join-Path $TestDrive 'rejects')
        New-TestEventFile -Path (Join-Path $exports 'clean.csv') -Rows 50 -Offset 700000
        $state = Join-Path $TestDrive 'state-rejects'
        $clean = Invoke-Recipe (Join-Path $exports 'clean.csv') $state
        $clean.ExitCode | Should -Be 0 -Because $clean.Output
        $clean.Output | Should -Match 'Rejected rows: 0\.'
        $clean.Output | Should -Not -Match 'rejects-'
        Get-ChildItem $state -Filter 'rejects-*.csv' | Should -BeNullOrEmpty

        New-TestEventFile -Path (Join-Path $exports 'one-bad.csv') -Rows 50 -Offset 710000
        Add-Content (Join-Path $exports 'one-bad.csv') 'Purchase,not-an-email,,2026-01-01T00:00:00Z,1.00,USD,ORD-BAD,1,SKU-1,store_1'
        $dirty = Invoke-Recipe (Join-Path $exports 'one-bad.csv') $state
        $dirty.ExitCode | Should -Be 0 -Because $dirty.Output
        $written = @(Get-ChildItem $state -Filter 'rejects-*.csv')
        $written.Count | Should -Be 1
        $dirty.Output | Should -Match "Rejected rows: 1 \(see $([regex]::Escape($written[0].Name))\)"
    }

    It 'prunes its own transcripts and reject files older than -KeepLogDays, and nothing else' {
        $state = Join-Path $TestDrive 'state-prune'
        $logs = New-Item -ItemType Directory (Join-Path $state 'logs')
        $longAgo = (Get-Date).AddDays(-40)
        $files = @{
            OldLog     = Join-Path $logs 'send-20250101-020000.log'
            NewLog     = Join-Path $logs 'send-20251125-020000.log'
            OldRejects = Join-Path $state 'rejects-20250101-020000.csv'
            OldInput   = Join-Path $state 'rejects-20250102-020000.csv'   # a fixed reject file, sent again tonight
            UserFile   = Join-Path $state 'rejects-fixed.csv'
        }
        foreach ($f in $files.Values) { 'x' | Set-Content $f }
        New-TestEventFile -Path $files.OldInput -Rows 5 -Offset 720000
        foreach ($k in 'OldLog', 'OldRejects', 'OldInput', 'UserFile') { (Get-Item $files[$k]).LastWriteTime = $longAgo }
        (Get-Item $files.NewLog).LastWriteTime = (Get-Date).AddDays(-5)
        $run = Invoke-Recipe $files.OldInput $state -More '-KeepLogDays', '30'
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'Removed 2 transcript\(s\) and reject file\(s\) older than 30 days'
        Test-Path $files.OldLog | Should -BeFalse
        Test-Path $files.OldRejects | Should -BeFalse
        foreach ($k in 'NewLog', 'OldInput', 'UserFile') { Test-Path $files[$k] | Should -BeTrue -Because "$k is not pruned" }
        (Get-ChildItem $logs -Filter 'send-*.log').Count | Should -Be 2   # tonight's and the 5-day-old one

        $keepAll = Invoke-Recipe $files.OldInput $state -More '-KeepLogDays', '0'
        $keepAll.ExitCode | Should -Be 0
        (Get-ChildItem $logs -Filter 'send-*.log').Count | Should -Be 3
    }

    It 'still sends when an old transcript cannot be removed, and names it' -Skip:(-not $IsLinux -or -not (Get-Command chattr -ErrorAction Ignore)) {
        $state = Join-Path $TestDrive 'state-stuck'
        $logs = New-Item -ItemType Directory (Join-Path $state 'logs')
        $stuck = Join-Path $logs 'send-20250101-020000.log'
        'x' | Set-Content $stuck
        (Get-Item $stuck).LastWriteTime = (Get-Date).AddDays(-40)
        & chattr +i $stuck 2>$null   # immutable: not even root can remove it
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'chattr +i is not supported on this file system'; return }
        try {
            $exports = New-Item -ItemType Directory (Join-Path $TestDrive 'stuck')
            New-TestEventFile -Path (Join-Path $exports 'pos.csv') -Rows 5 -Offset 730000
            $run = Invoke-Recipe (Join-Path $exports 'pos.csv') $state -More '-KeepLogDays', '30'
            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -Match 'Could not remove .*send-20250101-020000\.log'
            $run.Output | Should -Not -Match 'Removed \d+ transcript'
            $run.Output | Should -Match 'Delivered\s*:\s*5'
            Test-Path $stuck | Should -BeTrue
        }
        finally { & chattr -i $stuck }
    }

    It 'exits 1 for a bad token' {
        $exports = New-Item -ItemType Directory (Join-Path $TestDrive 'token')
        New-TestEventFile -Path (Join-Path $exports 'pos.csv') -Rows 5
        $environment = $script:TaskEnvironment.Clone()
        $environment.OFFLINEEVENTS_ACCESS_TOKEN = 'revoked-token-123'
        $run = Invoke-ChildPwsh -Arguments @('-File', $script:Recipe, '-Path', (Join-Path $exports '*.csv'), '-EventSetId', $script:Set, '-StatePath', (Join-Path $TestDrive 'state-token')) -Environment $environment
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match 'AuthenticationFailed'
        $run.Output | Should -Not -Match 'revoked-token-123'
    }
}
