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

Describe 'New-OfflineEventSet' {
    BeforeEach { Reset-Sandbox $script:Sandbox }

    It 'creates a set with auto-tracking on by default and writes it' {
        $set = New-OfflineEventSet -Name 'Stores' -Description 'POS export'
        $set.PSTypeNames[0] | Should -Be 'OfflineEvents.Core.EventSets.OfflineEventSet'
        $set.EventSetId | Should -Match '^\d{19}$'
        $set.Name | Should -Be 'Stores'
        $set.Description | Should -Be 'POS export'
        $set.AutoTracking | Should -BeTrue
        $set.AdvertiserId | Should -Be (Get-TestAdvertiser)
        $set.CreateTime.Kind | Should -Be 'Utc'
        (Get-OfflineEventSet -EventSetId $set.EventSetId).Name | Should -Be 'Stores'
    }

    It '-AutoTracking $false creates the set with auto-tracking off' {
        (New-OfflineEventSet -Name 'Call center' -AutoTracking $false).AutoTracking | Should -BeFalse
    }

    It '-WhatIf sends nothing' {
        $before = (Get-SandboxStats $script:Sandbox).requests
        $out = New-OfflineEventSet -Name 'Nope' -WhatIf
        $out | Should -BeNullOrEmpty
        (Get-SandboxStats $script:Sandbox).requests | Should -Be $before
    }

    It 'takes names from the pipeline by value' {
        $sets = 'a', 'b', 'c' | New-OfflineEventSet
        $sets.Name | Should -Be @('a', 'b', 'c')
        @(Get-OfflineEventSet).Count | Should -Be 3
    }

    It 'binds Import-Csv rows by property name, including snake_case headers' {
        $csv = Join-Path $TestDrive 'sets.csv'
        "event_set_name,Description,auto_tracking`nEU stores,Till export,false`nUS stores,,true" | Set-Content $csv
        $sets = Import-Csv $csv | ForEach-Object { $_.auto_tracking = [bool]::Parse($_.auto_tracking); $_ } | New-OfflineEventSet
        $sets.Name | Should -Be @('EU stores', 'US stores')
        $sets[0].Description | Should -Be 'Till export'
        $sets[0].AutoTracking | Should -BeFalse
        $sets[1].AutoTracking | Should -BeTrue
    }

    It 'refuses names over 128 characters before calling the API' {
        $before = (Get-SandboxStats $script:Sandbox).requests
        { New-OfflineEventSet -Name ('x' * 129) } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        (Get-SandboxStats $script:Sandbox).requests | Should -Be $before
    }

    It 'takes per-call connection parameters over the session connection' {
        Disconnect-OfflineEventApi
        try {
            $set = New-OfflineEventSet -Name 'direct' -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri
            $set.Name | Should -Be 'direct'
        }
        finally { Connect-TestSandbox $script:Sandbox }
    }

    It 'reports an API parameter error as a non-terminating InvalidRequest error and continues' {
        Set-SandboxFault $script:Sandbox @{ rules = @(@{ kind = 'Api'; code = 40002; times = 1; path = 'offline/create' }) }
        $sets = 'first', 'second' | New-OfflineEventSet -ErrorVariable errs -ErrorAction SilentlyContinue
        $sets.Name | Should -Be @('second')
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.InvalidRequest,*'
        $errs[0].TargetObject | Should -Be 'first'
    }
}
