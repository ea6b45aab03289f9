# Reject files and Export's output files: a run never replaces what it reads, an unwritable or full folder is a
# named error with a summary, rows of several inputs keep their values and their source, nothing half-written or
# stale is left behind, and unread columns (names, notes) stay out unless -RejectColumn All asks for them.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    function Sha([string] $text) {
        $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($text))
        [Convert]::ToHexString($bytes).ToLowerInvariant()
    }
    function Get-Hash([string] $path) { (Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash }
    # A valid export of -Rows rows where every -BadEvery-th row has a misspelt event type (a rule reject).
    function New-MixedEventFile([string] $Path, [int] $Rows, [int] $BadEvery) {
        New-TestEventFile -Path $Path -Rows $Rows
        $lines = [IO.File]::ReadAllLines($Path)
        for ($i = 1; $i -lt $lines.Count; $i++) { if ($i % $BadEvery -eq 0) { $lines[$i] = $lines[$i] -replace '^Purchase,', 'Purchse,' } }
        [IO.File]::WriteAllLines($Path, $lines)
    }
    # A small tmpfs at -Path (root can write into chmod 0555 folders, so permission bits prove nothing here):
    # -ReadOnly for a read-only mount, else -SizeKB of space for a full disk. False where mounting is not allowed.
    function Mount-TestFolder([string] $Path, [int] $SizeKB = 64, [switch] $ReadOnly) {
        $null = New-Item -ItemType Directory -Force $Path
        if (-not $IsLinux -or -not (Get-Command mount -ErrorAction Ignore)) { return $false }
        $options = "size=$($SizeKB)k" + $(if ($ReadOnly) { ',ro' })
        & mount -t tmpfs -o $options oeps-test $Path 2>$null
        $LASTEXITCODE -eq 0
    }
    # Lazily when busy (a handle still open), so that Pester can still remove TestDrive.
    function Dismount-TestFolder([string] $Path) { & umount $Path 2>$null; if ($LASTEXITCODE -ne 0) { & umount -l $Path 2>$null } }

    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $script:Recent = [DateTimeOffset]::UtcNow.AddHours(-2).ToString('yyyy-MM-ddTHH:mm:ssZ')
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'An output that names an input' {
    BeforeEach {
        $script:Set = (New-OfflineEventSet -Name "loop $(New-Guid)").EventSetId
        $script:Loop = Join-Path $TestDrive "loop-$(New-Guid)"
        $null = New-Item -ItemType Directory $script:Loop
        # The documented loop: rejects.csv, fixed by hand (one row still wrong), sent again.
        $script:Loopback = Join-Path $script:Loop 'rejects.csv'
        @"
event_type,email,phone,timestamp,order_id,source_file,source_line,source_row,rule_id,reason
Purchase,fixed1@example.com,,$script:Recent,L-1,/old/export.csv,2,1,EventTypeUnknown,was misspelt
Purchse,still.wrong@example.com,,$script:Recent,L-2,/old/export.csv,3,2,EventTypeUnknown,was misspelt
Purchase,fixed3@example.com,,$script:Recent,L-3,/old/export.csv,4,3,EmailInvalid,was invalid
"@ | Set-Content $script:Loopback
        $script:Before = Get-Hash $script:Loopback
    }
    AfterEach {
        Invoke-RestMethod -Method Delete "$($script:Sandbox.Uri)sandbox/faults" | Out-Null
    }

    It 'refuses -RejectPath naming a -Path input, under another spelling, a relative path or a symbolic link, before sending' {
        $linkFile = Join-Path $script:Loop 'link.csv'
        $null = New-Item -ItemType SymbolicLink -Path $linkFile -Target $script:Loopback
        $linkDir = Join-Path $TestDrive "linkdir-$(New-Guid)"
        $null = New-Item -ItemType SymbolicLink -Path $linkDir -Target $script:Loop
        $cases = @(
            @{ Path = $script:Loopback; Reject = Join-Path $script:Loop "../$(Split-Path $script:Loop -Leaf)/./rejects.csv" }
            @{ Path = $linkFile; Reject = $script:Loopback }
            @{ Path = $script:Loopback; Reject = Join-Path $linkDir 'rejects.csv' }
        )
        foreach ($case in $cases) {
            { Send-OfflineEvent -LiteralPath $case.Path -EventSetId $script:Set -RejectPath $case.Reject -ErrorAction SilentlyContinue } |
                Should -Throw -ErrorId 'OfflineEvents.OutputIsInput,*' -Because "$($case.Path) is $($case.Reject)"
        }
        Push-Location $script:Loop
        try {
            $err = $null
            try { Get-ChildItem rejects.csv | Send-OfflineEvent -EventSetId $script:Set -RejectPath rejects.csv -ErrorAction SilentlyContinue } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.OutputIsInput,*'
            $err.Exception.Message | Should -Match 'would replace the file it reads'
        }
        finally { Pop-Location }
        Get-Hash $script:Loopback | Should -Be $script:Before
        (Get-SandboxLedgerId $script:Sandbox $script:Set).Count | Should -Be 0
        Get-ChildItem $script:Loop -Filter '*.tmp-*' | Should -BeNullOrEmpty
    }

    It 'refuses -Path *.csv that also matches -RejectPath before any of the files is sent' {
        $other = Join-Path $script:Loop 'a-export.csv'; New-TestEventFile -Path $other -Rows 3000
        { Send-OfflineEvent -Path (Join-Path $script:Loop '*.csv') -EventSetId $script:Set -RejectPath $script:Loopback -BatchSize 100 -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'OfflineEvents.OutputIsInput,*'
        (Get-SandboxLedgerId $script:Sandbox $script:Set).Count | Should -Be 0 -Because 'a-export.csv comes first but must not be sent either'
        Get-Hash $script:Loopback | Should -Be $script:Before
    }

    It 'refuses an export whose output or -RejectPath is one of its inputs, also a part it would replace' {
        $out = Join-Path $script:Loop 'upload.csv'
        { Export-OfflineEventFile $script:Loopback -InputPath $script:Loopback -Force -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'OfflineEvents.OutputIsInput,*'
        { Export-OfflineEventFile $out -InputPath $script:Loopback -RejectPath $script:Loopback -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'OfflineEvents.OutputIsInput,*'
        $part = Join-Path $script:Loop 'upload-part002.csv'
        Copy-Item $script:Loopback $part
        { Export-OfflineEventFile $out -InputPath $part -Force -ErrorAction SilentlyContinue } | Should -Throw -ErrorId 'OfflineEvents.OutputIsInput,*'
        Get-Hash $part | Should -Be $script:Before
        Get-Hash $script:Loopback | Should -Be $script:Before
        Test-Path $out | Should -BeFalse
    }

    It 'refuses an export whose -RejectPath is its own output, which the reject file would replace (or remove)' {
        $out = Join-Path $script:Loop 'same-upload.csv'
        $other = Join-Path $script:Loop 'same-export.csv'; New-MixedEventFile -Path $other -Rows 20 -BadEvery 5
        { Export-OfflineEventFile $out -InputPath $other -RejectPath (Join-Path $script:Loop './same-upload.csv') -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'OfflineEvents.InvalidArgument,*'
        Test-Path $out | Should -BeFalse
    }

    It 'leaves the input byte for byte when Import-Csv rejects.csv | Send -RejectPath rejects.csv meets an outage' {
        Set-SandboxFault $script:Sandbox @{ RandomRate = 1.0; RandomPath = 'event/track'; RandomFaults = @(@{ Kind = 'Http'; Status = 503 }) }
        $err = $null
        try { Import-Csv $script:Loopback | Send-OfflineEvent -EventSetId $script:Set -RejectPath $script:Loopback -FailedBatchPauseSec 0 -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.CircuitOpen,*'
        Get-Hash $script:Loopback | Should -Be $script:Before
        ($warnings -join "`n") | Should -Match 'was left as it was'
        Get-ChildItem $script:Loop -Filter '*.tmp-*' | Should -BeNullOrEmpty
    }

    It 'leaves the input byte for byte when the same loop runs with a bad token' {
        $bad = ConvertTo-SecureString 'not-a-valid-token' -AsPlainText -Force
        { Import-Csv $script:Loopback | Send-OfflineEvent -EventSetId $script:Set -RejectPath $script:Loopback -AccessToken $bad -ErrorAction SilentlyContinue -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'OfflineEvents.AuthenticationFailed,*'
        Get-Hash $script:Loopback | Should -Be $script:Before
        Get-ChildItem $script:Loop -Filter '*.tmp-*' | Should -BeNullOrEmpty
    }

    It 'leaves an older reject file untouched when a Send is stopped (Ctrl+C) while it waits for its last batch' {
        $file = Join-Path $script:Loop 'stopped.csv'; New-MixedEventFile -Path $file -Rows 20 -BadEvery 5
        $older = Join-Path $script:Loop 'stopped-rejects.csv'
        Copy-Item $script:Loopback $older
        Set-SandboxFault $script:Sandbox @{ Rules = @(@{ Kind = 'Delay'; DelayMs = 3000; Times = 100; Path = 'event/track' }) }
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$env:OEPS_TEST_MODULE'; Send-OfflineEvent -Path '$file' -EventSetId $script:Set -RejectPath '$older' -ErrorAction SilentlyContinue -AdvertiserId $(Get-TestAdvertiser) -ApiBaseUri '$($script:Sandbox.Uri)' -AccessToken (ConvertTo-SecureString '$(Get-TestToken)' -AsPlainText -Force)")
            $null = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Get-ChildItem $script:Loop -Filter 'stopped-rejects.csv.tmp-*') -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            Start-Sleep -Milliseconds 1000 # the 20 rows are read; the one batch waits in the sandbox
            $ps.Stop()
        }
        finally { $ps.Dispose() }
        Get-Hash $older | Should -Be $script:Before
        Get-ChildItem $script:Loop -Filter '*.tmp-*' | Should -BeNullOrEmpty
    }

    It 'leaves an older reject file untouched when a run fails, and replaces it when a run finishes' {
        $file = Join-Path $script:Loop 'export.csv'; New-MixedEventFile -Path $file -Rows 20 -BadEvery 5
        $older = Join-Path $script:Loop 'older-rejects.csv'
        Copy-Item $script:Loopback $older
        Set-SandboxFault $script:Sandbox @{ RandomRate = 1.0; RandomPath = 'event/track'; RandomFaults = @(@{ Kind = 'Http'; Status = 503 }) }
        { Send-OfflineEvent -Path $file -EventSetId $script:Set -RejectPath $older -FailedBatchPauseSec 0 -ErrorAction SilentlyContinue -WarningAction SilentlyContinue } |
            Should -Throw -ErrorId 'OfflineEvents.Send.CircuitOpen,*'
        Get-Hash $older | Should -Be $script:Before
        Invoke-RestMethod -Method Delete "$($script:Sandbox.Uri)sandbox/faults" | Out-Null
        $summary = Send-OfflineEvent -Path $file -EventSetId $script:Set -RejectPath $older -ErrorAction SilentlyContinue
        $summary.Rejected | Should -Be 4
        @(Import-Csv $older).Count | Should -Be 4
    }
}

Describe 'A reject file that cannot be written' {
    BeforeAll {
        $script:Set = (New-OfflineEventSet -Name "unwritable $(New-Guid)").EventSetId
        $script:File = Join-Path $TestDrive 'twenty.csv'; New-MixedEventFile -Path $script:File -Rows 20 -BadEvery 5
    }

    It 'is a non-terminating RejectFileFailed found at the start, and the summary still comes (a path under a regular file: ENOTDIR)' {
        $plain = Join-Path $TestDrive 'plain.txt'; 'not a folder' | Set-Content $plain
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $summary = Send-OfflineEvent -Path $script:File -EventSetId $script:Set -RejectPath (Join-Path $plain 'rejects.csv') -ErrorVariable errs -ErrorAction SilentlyContinue
        $clock.Stop()
        $summary.Delivered | Should -Be 16
        $summary.Rejected | Should -Be 4
        $summary.RejectPath | Should -BeNullOrEmpty
        $failed = @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Send.RejectFileFailed,*')
        $failed.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.RejectFileFailed,*' -Because 'it is found at the start, before the first reject'
        "$failed" | Should -Match ([regex]::Escape((Join-Path $plain 'rejects.csv')))
        @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Send.Rejected.*').Count | Should -Be 4
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
    }

    It 'is the same on a read-only mount, without a stall' {
        $ro = Join-Path $TestDrive 'readonly'
        if (-not (Mount-TestFolder $ro -ReadOnly)) { Set-ItResult -Skipped -Because 'tmpfs cannot be mounted here'; return }
        try {
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $summary = Send-OfflineEvent -Path $script:File -EventSetId $script:Set -RejectPath (Join-Path $ro 'rejects.csv') -ErrorVariable errs -ErrorAction SilentlyContinue
            $clock.Stop()
            $summary.Delivered + $summary.Skipped | Should -Be 16
            $summary.Rejected | Should -Be 4
            @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Send.RejectFileFailed,*').Count | Should -Be 1
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 15
        }
        finally { Dismount-TestFolder $ro }
    }

    It 'is the same when the disk fills up mid-run (a 64 KB tmpfs), leaving no temporary file' {
        $full = Join-Path $TestDrive 'full'
        if (-not (Mount-TestFolder $full -SizeKB 64)) { Set-ItResult -Skipped -Because 'tmpfs cannot be mounted here'; return }
        try {
            $big = Join-Path $TestDrive 'many-rejects.csv'; New-MixedEventFile -Path $big -Rows 3000 -BadEvery 2
            $summary = Send-OfflineEvent -Path $big -EventSetId $script:Set -RejectPath (Join-Path $full 'rejects.csv') -ErrorVariable errs -ErrorAction SilentlyContinue
            $summary.Rejected | Should -Be 1500
            $summary.Delivered + $summary.Skipped | Should -Be 1500
            $failed = @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Send.RejectFileFailed,*')
            $failed.Count | Should -Be 1
            "$failed" | Should -Match 'No space left'
            Get-ChildItem $full | Should -BeNullOrEmpty
        }
        finally { Dismount-TestFolder $full }
    }

    It 'is a non-terminating Export.RejectFileFailed when the disk fills up mid-export, which still writes its output and leaves no temporary file' {
        $full = Join-Path $TestDrive 'export-rejects-full'
        if (-not (Mount-TestFolder $full -SizeKB 64)) { Set-ItResult -Skipped -Because 'tmpfs cannot be mounted here'; return }
        try {
            $big = Join-Path $TestDrive 'export-many-rejects.csv'; New-MixedEventFile -Path $big -Rows 3000 -BadEvery 2
            $out = Join-Path $TestDrive 'export-many-upload.csv'
            $result = Export-OfflineEventFile $out -InputPath $big -RejectPath (Join-Path $full 'rejects.csv') -ErrorVariable errs -ErrorAction SilentlyContinue
            $result.Written | Should -Be 1500
            $result.Rejected | Should -Be 1500
            $failed = @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Export.RejectFileFailed,*')
            $failed.Count | Should -Be 1
            "$failed" | Should -Match 'No space left'
            @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Export.WriteFailed,*').Count | Should -Be 0
            (Test-OfflineEventFile $out).Rows | Should -Be 1500
            Get-ChildItem $full -Force | Should -BeNullOrEmpty
        }
        finally { Dismount-TestFolder $full }
    }

    It 'is a non-terminating Export.RejectFileFailed for an export, which still writes its output' {
        $plain = Join-Path $TestDrive 'plain2.txt'; 'not a folder' | Set-Content $plain
        $out = Join-Path $TestDrive 'unwritable-upload.csv'
        $result = Export-OfflineEventFile $out -InputPath $script:File -RejectPath (Join-Path $plain 'rejects.csv') -ErrorVariable errs -ErrorAction SilentlyContinue
        $result.Written | Should -Be 16
        @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Export.RejectFileFailed,*').Count | Should -Be 1
        (Test-OfflineEventFile $out).Rows | Should -Be 16
    }
}

Describe 'Rows of several inputs in one reject file' {
    It 'keeps the values of inputs with different headers and names each row''s source file and line' {
        $set = (New-OfflineEventSet -Name "headers $(New-Guid)").EventSetId
        $a = Join-Path $TestDrive 'tiktok-layout.csv'
        @"
event_type,email,timestamp,order_id
Purchse,first.file@example.com,$script:Recent,A-1
Purchase,ok.a@example.com,$script:Recent,A-2
"@ | Set-Content $a
        $b = Join-Path $TestDrive 'crm-layout.csv'
        @"
Order Number,Event Name,Event Time,Email Address
B-1,Purchase,$script:Recent,ok.b@example.com
B-2,Purchse,$script:Recent,second.file@example.com
"@ | Set-Content $b
        $rejects = Join-Path $TestDrive 'headers-rejects.csv'
        $summary = Send-OfflineEvent -LiteralPath $a, $b -EventSetId $set -RejectPath $rejects -ErrorAction SilentlyContinue
        $summary.Rejected | Should -Be 2
        $rows = @(Import-Csv $rejects)
        $rows.Count | Should -Be 2
        ($rows[0].PSObject.Properties.Name -join ',') | Should -Be 'event_type,email,timestamp,order_id,source_file,source_line,source_row,rule_id,reason'
        $rows[0].source_file | Should -Be $a
        $rows[0].order_id | Should -Be 'A-1'
        $rows[1].source_file | Should -Be $b
        $rows[1].source_line | Should -Be '3'
        $rows[1].source_row | Should -Be '2'
        $rows[1].order_id | Should -Be 'B-2'
        $rows[1].event_type | Should -Be 'Purchse'
        $rows[1].timestamp | Should -Be $script:Recent
        $rows[1].email | Should -Be (Sha 'second.file@example.com')
    }
}

Describe 'Temporary and partial files' {
    It 'an export that fills the disk mid-way ends with Export.WriteFailed naming the file, leaving no temporary or partial file' {
        $full = Join-Path $TestDrive 'export-full'
        if (-not (Mount-TestFolder $full -SizeKB 128)) { Set-ItResult -Skipped -Because 'tmpfs cannot be mounted here'; return }
        try {
            $in = Join-Path $TestDrive 'export-full-in.csv'; New-TestEventFile -Path $in -Rows 5000
            $out = Join-Path $full 'upload.csv'
            $err = $null
            try { Export-OfflineEventFile $out -InputPath $in -ErrorAction SilentlyContinue | Out-Null } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Export.WriteFailed,*'
            $err.TargetObject | Should -Be $out
            $err.Exception.Message | Should -Match ([regex]::Escape($out))
            $err.Exception.Message | Should -Match 'No space left'
            Get-ChildItem $full -Force | Should -BeNullOrEmpty
        }
        finally { Dismount-TestFolder $full }
    }

    It 'an export removes the temporary files a killed export left' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'stale-export')
        $out = Join-Path $dir 'upload.csv'
        'half a part' | Set-Content "$out.tmp-0badc0de"
        $null = @{ event_type = 'Purchase'; email = 's@example.com'; timestamp = $script:Recent } | Export-OfflineEventFile $out
        (Get-ChildItem $dir).Name | Should -Be @('upload.csv')
    }

    It 'a Send killed with <Signal> leaves a temporary reject file that the next run removes' -ForEach @(@{ Signal = 'KILL' }, @{ Signal = 'TERM' }) {
        $set = (New-OfflineEventSet -Name "kill $(New-Guid)").EventSetId
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive "killed-$Signal")
        $file = Join-Path $dir 'export.csv'; New-MixedEventFile -Path $file -Rows 4000 -BadEvery 4
        $rejects = Join-Path $dir 'rejects.csv'
        $env = @{ OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser; OFFLINEEVENTS_ACCESS_TOKEN = Get-TestToken; OFFLINEEVENTS_API_URI = "$($script:Sandbox.Uri)" }
        Set-SandboxFault $script:Sandbox @{ Rules = @(@{ Kind = 'Delay'; DelayMs = 3000; Times = 1000; Path = 'event/track' }) }
        try {
            $p = Start-ChildPwsh -Command "Import-Module '$env:OEPS_TEST_MODULE'; Send-OfflineEvent -Path '$file' -EventSetId $set -RejectPath '$rejects' -BatchSize 100 -ErrorAction SilentlyContinue | Out-Null" -Environment $env
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while (-not (Get-ChildItem $dir -Filter 'rejects.csv.tmp-*') -and [DateTime]::UtcNow -lt $deadline -and -not $p.HasExited) { Start-Sleep -Milliseconds 50 }
            Start-Sleep -Milliseconds 1500
            $p.HasExited | Should -BeFalse -Because 'the run must still be going when it is killed'
            & kill "-$Signal" $p.Id
            $p.WaitForExit(30000) | Should -BeTrue
        }
        finally { Invoke-RestMethod -Method Delete "$($script:Sandbox.Uri)sandbox/faults" | Out-Null }
        Test-Path $rejects | Should -BeFalse -Because 'a run that did not finish writes no reject file'
        @(Get-ChildItem $dir -Filter 'rejects.csv.tmp-*').Count | Should -BeGreaterThan 0 -Because 'the killed run had no chance to clean up'
        $summary = Send-OfflineEvent -Path $file -EventSetId $set -RejectPath $rejects -ErrorAction SilentlyContinue
        $summary.Rejected | Should -Be 1000
        @(Import-Csv $rejects).Count | Should -Be 1000
        (Get-ChildItem $dir).Name | Sort-Object | Should -Be @('export.csv', 'rejects.csv')
    }
}

Describe 'What a reject file holds' {
    BeforeAll {
        $script:Set = (New-OfflineEventSet -Name "columns $(New-Guid)").EventSetId
        $script:Crm = Join-Path $TestDrive 'crm.csv'
        @"
event_type,First Name,Last Name,Address,email,Phone,Billing Phone,timestamp,order_id,Notes
Purchse,Wilhelmina,Quartermaine,12 Zebra Crossing,wilhelmina.q@example.com,+1 213 373 4253,+1 212 555 7788,$script:Recent,C-1,prefers evening calls
Purchase,Bartholomew,Quince,99 Yew Lane,bart.broken@,,+1 212 555 9911,$script:Recent,C-2,allergic to nuts
Purchase,Ok,Person,1 Main St,ok.person@example.com,,,$script:Recent,C-3,fine
"@ | Set-Content $script:Crm
        $script:Plain = 'Wilhelmina|Quartermaine|Zebra|Bartholomew|Quince|Yew Lane|evening calls|allergic|555 7788|5557788|555 9911|5559911|wilhelmina\.q@|bart\.broken'
    }

    It 'holds by default only the columns the module reads, identifiers hashed or masked, and the source, line, rule and reason' {
        $rejects = Join-Path $TestDrive 'crm-rejects.csv'
        $summary = Send-OfflineEvent -Path $script:Crm -EventSetId $script:Set -DefaultRegion US -RejectPath $rejects -ErrorAction SilentlyContinue
        $summary.Rejected | Should -Be 2
        $rows = @(Import-Csv $rejects)
        ($rows[0].PSObject.Properties.Name -join ',') | Should -Be 'event_type,email,phone,timestamp,order_id,source_file,source_line,source_row,rule_id,reason'
        $rows[0].email | Should -Be (Sha 'wilhelmina.q@example.com')
        $rows[0].phone | Should -Be (Sha '+12133734253')
        $rows[1].email | Should -Not -BeNullOrEmpty
        $rows[1].rule_id | Should -Be 'EmailInvalid'
        Get-Content $rejects -Raw | Should -Not -Match $script:Plain
    }

    It 'holds every column with -RejectColumn All, identifiers still hashed or masked' {
        $rejects = Join-Path $TestDrive 'crm-rejects-all.csv'
        $null = Send-OfflineEvent -Path $script:Crm -EventSetId $script:Set -DefaultRegion US -RejectPath $rejects -RejectColumn All -ErrorAction SilentlyContinue
        $rows = @(Import-Csv $rejects)
        ($rows[0].PSObject.Properties.Name -join ',') | Should -Be 'event_type,First Name,Last Name,Address,email,Phone,Billing Phone,timestamp,order_id,Notes,source_file,source_line,source_row,rule_id,reason'
        $rows[0].'First Name' | Should -Be 'Wilhelmina'
        $rows[0].Notes | Should -Be 'prefers evening calls'
        $rows[1].'Billing Phone' | Should -Be '+1 212 555 9911'
        $rows[0].email | Should -Be (Sha 'wilhelmina.q@example.com')
        $rows[0].Phone | Should -Be (Sha '+12133734253')
        $text = Get-Content $rejects -Raw
        $text | Should -Not -Match 'wilhelmina\.q@|bart\.broken|373 4253'
    }

    It 'gives the rejects'' error records (TargetObject) only the columns the module reads, every column with -RejectColumn All' {
        $null = Send-OfflineEvent -Path $script:Crm -EventSetId $script:Set -DefaultRegion US -ErrorVariable sendErrs -ErrorAction SilentlyContinue
        $null = Export-OfflineEventFile (Join-Path $TestDrive 'crm-target-upload.csv') -InputPath $script:Crm -DefaultRegion US -Force -ErrorVariable exportErrs -ErrorAction SilentlyContinue
        foreach ($errs in @(, $sendErrs) + @(, $exportErrs)) {
            $rejected = @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.*.Rejected.*')
            $rejected.Count | Should -Be 2
            $first = $rejected[0].TargetObject
            $first.SafeFields[$first.Headers.IndexOf('order_id')] | Should -Be 'C-1'
            $first.SafeFields[$first.Headers.IndexOf('email')] | Should -Be (Sha 'wilhelmina.q@example.com')
            $first.SafeFields[$first.Headers.IndexOf('First Name')] | Should -BeNullOrEmpty
            $text = ($rejected | ForEach-Object { $_.TargetObject.SafeFields -join '|'; $_.TargetObject | Format-List * | Out-String; $_ | Out-String }) -join "`n"
            $text | Should -Not -Match $script:Plain
        }
        $null = Send-OfflineEvent -Path $script:Crm -EventSetId $script:Set -DefaultRegion US -RejectColumn All -ErrorVariable allErrs -ErrorAction SilentlyContinue
        $first = @($allErrs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Send.Rejected.*')[0].TargetObject
        $first.SafeFields[$first.Headers.IndexOf('First Name')] | Should -Be 'Wilhelmina'
        $first.SafeFields[$first.Headers.IndexOf('email')] | Should -Be (Sha 'wilhelmina.q@example.com')
    }

    It 'is the same for Export-OfflineEventFile' {
        $rejects = Join-Path $TestDrive 'crm-export-rejects.csv'
        $result = Export-OfflineEventFile (Join-Path $TestDrive 'crm-upload.csv') -InputPath $script:Crm -DefaultRegion US -RejectPath $rejects -ErrorAction SilentlyContinue
        $result.Rejected | Should -Be 2
        ((Get-Content $rejects -TotalCount 1)) | Should -Be 'event_type,email,phone,timestamp,order_id,source_file,source_line,source_row,rule_id,reason'
        Get-Content $rejects -Raw | Should -Not -Match $script:Plain
        $null = Export-OfflineEventFile (Join-Path $TestDrive 'crm-upload.csv') -InputPath $script:Crm -DefaultRegion US -RejectPath $rejects -RejectColumn All -Force -ErrorAction SilentlyContinue
        (Import-Csv $rejects)[0].'Last Name' | Should -Be 'Quartermaine'
    }
}

Describe 'A directory given as an output file' {
    It 'is a terminating PathIsDirectory error that says so, for -RejectPath and Export''s output' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'a-folder')
        $rows = @{ event_type = 'Purchase'; email = 'd@example.com'; timestamp = $script:Recent }
        $cases = @(
            { $rows | Send-OfflineEvent -EventSetId 1 -RejectPath $dir.FullName }
            { $rows | Export-OfflineEventFile $dir.FullName }
            { $rows | Export-OfflineEventFile (Join-Path $TestDrive 'dir-upload.csv') -RejectPath $dir.FullName }
        )
        foreach ($case in $cases) {
            $err = $null
            try { & $case | Out-Null } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.PathIsDirectory,*'
            $err.Exception.Message | Should -Match 'is a directory'
            $err.Exception.Message | Should -Not -Match 'already exists'
        }
        Test-Path (Join-Path $TestDrive 'dir-upload.csv') | Should -BeFalse
    }
}
