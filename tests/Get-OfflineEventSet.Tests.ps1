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
