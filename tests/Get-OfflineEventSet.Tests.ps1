BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $script:Sets = 'Stores EU', 'Stores US', 'Call center', 'Leads [web]' | New-OfflineEventSet
}
AfterAll {
    Disconnect-OfflineEventApi
    Stop-TestSandbox $script:Sandbox
}

Describe 'Get-OfflineEventSet' {
    It 'lists every set without parameters' {
        (Get-OfflineEventSet).Name | Sort-Object | Should -Be @('Call center', 'Leads [web]', 'Stores EU', 'Stores US')
    }

    It 'matches names with wildcards, ignoring case' {
        (Get-OfflineEventSet -Name 'stores*').Name | Should -Be @('Stores EU', 'Stores US')
        (Get-OfflineEventSet 'call CENTER').Name | Should -Be 'Call center'
        (Get-OfflineEventSet -Name '*EU', '*US').Name | Should -Be @('Stores EU', 'Stores US')
    }

    It 'calls the API once however many names are given' {
        $before = (Get-SandboxStats $script:Sandbox).requests
        $null = Get-OfflineEventSet -Name 'a*', 'b*', 'c*'
        (Get-SandboxStats $script:Sandbox).requests - $before | Should -Be 1
    }

    It 'a missing exact name is a non-terminating ObjectNotFound error; a wildcard matching nothing is not' {
        $out = Get-OfflineEventSet -Name 'Nope', 'Stores EU' -ErrorVariable errs -ErrorAction SilentlyContinue
        $out.Name | Should -Be 'Stores EU'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.EventSetNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'Nope'
        Get-OfflineEventSet -Name 'zzz*' -ErrorVariable none
        $none | Should -BeNullOrEmpty
    }

    It 'gets sets by id, from the pipeline by value' {
        $ids = $script:Sets[0, 2].EventSetId
        ($ids | Get-OfflineEventSet).Name | Should -Be @('Stores EU', 'Call center')
    }

    It 'a missing id is ObjectNotFound and the others still come' {
        $out = Get-OfflineEventSet -EventSetId $script:Sets[1].EventSetId, '7300000000000000999' -ErrorVariable errs -ErrorAction SilentlyContinue
        $out.Name | Should -Be 'Stores US'
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.EventSetNotFound,*'
        $errs[0].TargetObject | Should -Be '7300000000000000999'
    }

    It 'binds ids from CSV rows under the usual header spellings' -ForEach @(
        @{ Header = 'EventSetId' }, @{ Header = 'event_set_id' }, @{ Header = 'Id' }, @{ Header = 'EventSourceId' }
    ) {
        $csv = Join-Path $TestDrive "$Header.csv"
        "$Header`n$($script:Sets[3].EventSetId)" | Set-Content $csv
        (Import-Csv $csv | Get-OfflineEventSet).Name | Should -Be 'Leads [web]'
    }

    It 'rejects ids that are not digits' {
        { Get-OfflineEventSet -EventSetId 'C9ABCDEF' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'formats as a table of id, name, auto-tracking, creation and description' {
        $table = Get-OfflineEventSet -Name 'Stores EU' | Format-Table | Out-String
        $table | Should -Match 'EventSetId\s+Name\s+AutoTracking\s+Created \(UTC\)\s+Description'
        $table | Should -Match 'Stores EU'
    }
}

Describe 'Tab completion of event sets from the connected account' {
    BeforeAll {
        function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches }
        # Files that default (file name) completion would offer, in the current folder.
        $script:Folder = New-Item -ItemType Directory (Join-Path $TestDrive 'completion')
        '7300-export.csv', 'Stores-notes.txt' | ForEach-Object { New-Item -ItemType File (Join-Path $script:Folder $_) } | Out-Null
        Push-Location $script:Folder
    }
    AfterAll {
        Pop-Location
        Connect-TestSandbox $script:Sandbox
    }

    It 'completes -EventSetId of <Command> with the ids of the sets, named in the list' -ForEach @(
        @{ Command = 'Send-OfflineEvent -Path x.csv' }, @{ Command = 'Get-OfflineEventSet' }, @{ Command = 'Set-OfflineEventSet' }, @{ Command = 'Remove-OfflineEventSet' }
    ) {
        $found = Complete "$Command -EventSetId "
        foreach ($set in $script:Sets) { $found.CompletionText | Should -Contain $set.EventSetId }
        $found.CompletionText | Should -Not -Contain '7300-export.csv'
        ($found | Where-Object CompletionText -EQ $script:Sets[2].EventSetId).ListItemText | Should -Match 'Call center'
    }

    It 'finds an id by the start of its id or of its name' {
        $call = $script:Sets | Where-Object Name -EQ 'Call center'
        (Complete 'Send-OfflineEvent -EventSetId call').CompletionText | Should -Be $call.EventSetId
        (Complete "Get-OfflineEventSet -EventSetId $($call.EventSetId)").CompletionText | Should -Be $call.EventSetId
    }

    It 'completes Get-OfflineEventSet -Name with quoted names whose wildcards are escaped' {
        (Complete 'Get-OfflineEventSet -Name stores').CompletionText | Should -Be @("'Stores EU'", "'Stores US'")
        $leads = (Complete 'Get-OfflineEventSet -Name Lea').CompletionText
        $leads | Should -Be "'Leads ``[web``]'"
        (Invoke-Expression "Get-OfflineEventSet -Name $leads").Name | Should -Be 'Leads [web]'
    }

    It 'makes one offline/get call per completion' {
        $before = Get-SandboxStats $script:Sandbox
        $null = Complete 'Send-OfflineEvent -EventSetId '
        $after = Get-SandboxStats $script:Sandbox
        $after.requests - $before.requests | Should -Be 1
        $after.track_requests - $before.track_requests | Should -Be 0
    }

    It 'offers nothing (not file names) when the API does not answer within the timeout' {
        Set-SandboxFault $script:Sandbox @{ rules = @(@{ kind = 'Delay'; delayMs = 8000; times = 1; path = 'offline/get' }) }
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $found = Complete 'Send-OfflineEvent -EventSetId '
        $clock.Elapsed.TotalSeconds | Should -BeLessThan 5
        $found | Should -BeNullOrEmpty
    }

    It 'offers nothing for a wrong token, and leaves no error behind' {
        Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (ConvertTo-SecureString 'wrong-token' -AsPlainText -Force) -ApiBaseUri $script:Sandbox.Uri -SkipCheck
        $Error.Clear()
        Complete 'Get-OfflineEventSet -Name ' | Should -BeNullOrEmpty
        $Error.Count | Should -Be 0
    }

    It 'offers nothing (not file names) when not connected' {
        Disconnect-OfflineEventApi
        Complete 'Send-OfflineEvent -EventSetId ' | Should -BeNullOrEmpty
        Complete 'Get-OfflineEventSet -Name Stor' | Should -BeNullOrEmpty
    }
}
