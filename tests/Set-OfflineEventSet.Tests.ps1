BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
}
AfterAll {
    Disconnect-OfflineEventApi
    Stop-TestSandbox $script:Sandbox
}

Describe 'Set-OfflineEventSet' {
    BeforeEach {
        Reset-Sandbox $script:Sandbox
        $script:Set = New-OfflineEventSet -Name 'Stores' -Description 'POS'
    }

    It 'renames a set and -PassThru writes it as it now is' {
        $updated = Set-OfflineEventSet -EventSetId $script:Set.EventSetId -Name 'Stores EU' -PassThru
        $updated.Name | Should -Be 'Stores EU'
        $updated.Description | Should -Be 'POS'
        (Get-OfflineEventSet -EventSetId $script:Set.EventSetId).Name | Should -Be 'Stores EU'
    }

    It 'writes nothing without -PassThru' {
        Set-OfflineEventSet -EventSetId $script:Set.EventSetId -AutoTracking $false | Should -BeNullOrEmpty
        (Get-OfflineEventSet -EventSetId $script:Set.EventSetId).AutoTracking | Should -BeFalse
    }

    It 'piping a set in changes only what is asked: the name is never taken from the pipeline' {
        Get-OfflineEventSet -Name 'Stores' | Set-OfflineEventSet -AutoTracking $false
        $after = Get-OfflineEventSet -EventSetId $script:Set.EventSetId
        $after.Name | Should -Be 'Stores'
        $after.AutoTracking | Should -BeFalse
    }

    It '-WhatIf changes nothing' {
        Set-OfflineEventSet -EventSetId $script:Set.EventSetId -Name 'Other' -WhatIf
        (Get-OfflineEventSet -EventSetId $script:Set.EventSetId).Name | Should -Be 'Stores'
    }

    It 'asks for something to change' {
        Set-OfflineEventSet -EventSetId $script:Set.EventSetId -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.InvalidArgument,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'an unknown id is a non-terminating ObjectNotFound error' {
        Set-OfflineEventSet -EventSetId 7300000000000000999 -Name 'x' -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.EventSetNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].Exception.RequestId | Should -Not -BeNullOrEmpty
    }
}
