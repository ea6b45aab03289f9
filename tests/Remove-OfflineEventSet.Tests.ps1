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

Describe 'Remove-OfflineEventSet' {
    BeforeEach {
        Reset-Sandbox $script:Sandbox
        $script:Sets = 'demo 1', 'demo 2', 'keep' | New-OfflineEventSet
    }

    It 'has ConfirmImpact High, so it asks by default' {
        $attr = (Get-Command Remove-OfflineEventSet).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
        $attr.ConfirmImpact | Should -Be 'High'
        $attr.SupportsShouldProcess | Should -BeTrue
    }

    It '-Force deletes piped sets without asking' {
        Get-OfflineEventSet -Name 'demo*' | Remove-OfflineEventSet -Force
        (Get-OfflineEventSet).Name | Should -Be 'keep'
    }

    It '-Confirm:$false deletes by id' {
        Remove-OfflineEventSet -EventSetId $script:Sets[2].EventSetId -Confirm:$false
        (Get-OfflineEventSet).Name | Should -Be @('demo 1', 'demo 2')
    }

    It '-WhatIf deletes nothing, even with -Force' {
        $before = (Get-SandboxStats $script:Sandbox).requests
        Get-OfflineEventSet | Remove-OfflineEventSet -WhatIf -Force
        (Get-SandboxStats $script:Sandbox).requests - $before | Should -Be 1  # the Get only
        @(Get-OfflineEventSet).Count | Should -Be 3
    }

    It 'an unknown id is a non-terminating ObjectNotFound error and the rest are deleted' {
        '7300000000000000999', $script:Sets[0].EventSetId | Remove-OfflineEventSet -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.EventSetNotFound,*'
        $errs[0].TargetObject | Should -Be '7300000000000000999'
        (Get-OfflineEventSet).Name | Should -Be @('demo 2', 'keep')
    }

    It 'says what it deleted on the verbose stream' {
        $verbose = Remove-OfflineEventSet -EventSetId $script:Sets[0].EventSetId -Force -Verbose 4>&1
        "$verbose" | Should -Match "Deleted offline event set $($script:Sets[0].EventSetId) \(request id \d+\)"
    }
}
