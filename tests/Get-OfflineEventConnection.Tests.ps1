BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Sandbox = Start-TestSandbox
    $script:Variables = 'OFFLINEEVENTS_ADVERTISER_ID', 'OFFLINEEVENTS_ACCESS_TOKEN', 'OFFLINEEVENTS_API_URI'
    $script:Saved = @{}
    foreach ($v in $script:Variables) { $script:Saved[$v] = [Environment]::GetEnvironmentVariable($v); [Environment]::SetEnvironmentVariable($v, $null) }

    # Every way a user might look at the object: default view, all properties, table, JSON, CSV, verbose.
    function Get-EveryRendering($connection) {
        ($connection | Out-String) + ($connection | Format-List * | Out-String) + ($connection | Format-Table * | Out-String) +
        ($connection | ConvertTo-Json -Depth 5) + ($connection | ConvertTo-Csv | Out-String) + ($connection.PSObject.Properties.Value -join ' ')
    }
}
AfterAll {
    Disconnect-OfflineEventApi
    foreach ($v in $script:Variables) { [Environment]::SetEnvironmentVariable($v, $script:Saved[$v]) }
    Stop-TestSandbox $script:Sandbox
}

Describe 'Get-OfflineEventConnection' {
    BeforeEach {
        Disconnect-OfflineEventApi
        foreach ($v in $script:Variables) { [Environment]::SetEnvironmentVariable($v, $null) }
    }

    It 'writes OfflineEvents.NotConnected and no output when there is no connection anywhere' {
        $out = Get-OfflineEventConnection -ErrorAction SilentlyContinue -ErrorVariable errs
        $out | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.NotConnected,*'
        $errs[0].Exception.Message | Should -Match 'no advertiser id and no token'
    }

    It 'shows the Connect-OfflineEventApi connection: advertiser, API address, token from the parameter, never the token' {
        Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri
        $c = Get-OfflineEventConnection -Verbose 4>&1
        $c.PSTypeNames[0] | Should -Be 'OfflineEvents.PS.Output.OfflineEventConnection'
        $c.AdvertiserId | Should -Be (Get-TestAdvertiser)
        $c.ApiBaseUri.Port | Should -Be $script:Sandbox.Uri.Port
        $c.ApiBaseUri.AbsolutePath | Should -Be '/open_api/v1.3/'
        $c.TokenSource | Should -Be 'Parameter'
        $c.ConnectedBy | Should -Be 'Connect-OfflineEventApi'
        $c.EventSetCount | Should -BeGreaterOrEqual 0
        $c.ConnectedAt | Should -BeGreaterThan ([DateTime]::UtcNow.AddMinutes(-1))
        $text = Get-EveryRendering $c
        $text | Should -Not -Match ([regex]::Escape((Get-TestToken)))
        ($c | Out-String) | Should -Match 'AccessToken\s*:\s*\*+ \(never shown\)'
        ($c | Out-String) | Should -Match 'ConnectedBy\s*:\s*Connect-OfflineEventApi'
    }

    It 'says the token came from a credential' {
        Connect-OfflineEventApi -Credential ([pscredential]::new((Get-TestAdvertiser), (Get-TestSecureToken))) -ApiBaseUri $script:Sandbox.Uri -SkipCheck
        $c = Get-OfflineEventConnection
        $c.TokenSource | Should -Be 'Credential'
        $c.EventSetCount | Should -Be -1
        Get-EveryRendering $c | Should -Not -Match ([regex]::Escape((Get-TestToken)))
    }

    It 'shows the environment variables when there is no Connect, without the token' {
        $env:OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser
        $env:OFFLINEEVENTS_ACCESS_TOKEN = Get-TestToken
        $env:OFFLINEEVENTS_API_URI = "$($script:Sandbox.Uri)"
        $c = Get-OfflineEventConnection
        $c.ConnectedBy | Should -Be 'Environment'
        $c.TokenSource | Should -Be 'Environment'
        $c.AdvertiserId | Should -Be (Get-TestAdvertiser)
        $c.ApiBaseUri.Port | Should -Be $script:Sandbox.Uri.Port
        $c.ConnectedAt | Should -BeNullOrEmpty
        Get-EveryRendering $c | Should -Not -Match ([regex]::Escape((Get-TestToken)))
        # The environment is what the API cmdlets would use, too.
        { Get-OfflineEventSet -ErrorAction Stop } | Should -Not -Throw
    }

    It 'prefers the Connect-OfflineEventApi connection over the environment, as the API cmdlets do' {
        $env:OFFLINEEVENTS_ADVERTISER_ID = '7000000000000000999'
        $env:OFFLINEEVENTS_ACCESS_TOKEN = 'env-token-never-shown'
        Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri
        $c = Get-OfflineEventConnection
        $c.AdvertiserId | Should -Be (Get-TestAdvertiser)
        $c.ConnectedBy | Should -Be 'Connect-OfflineEventApi'
        Get-EveryRendering $c | Should -Not -Match 'env-token-never-shown'
    }

    It 'names what is missing from a half-set environment, and forgets the connection after Disconnect' {
        Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri -SkipCheck
        Disconnect-OfflineEventApi
        $env:OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser
        $out = Get-OfflineEventConnection -ErrorAction SilentlyContinue -ErrorVariable errs
        $out | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.NotConnected,*'
        $errs[0].Exception.Message | Should -Match 'an advertiser id but no OFFLINEEVENTS_ACCESS_TOKEN'
    }

    It 'refuses a bad OFFLINEEVENTS_API_URI with OfflineEvents.InvalidConnection' {
        $env:OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser
        $env:OFFLINEEVENTS_ACCESS_TOKEN = Get-TestToken
        $env:OFFLINEEVENTS_API_URI = 'http://tiktok.example.com/'
        $null = Get-OfflineEventConnection -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.InvalidConnection,*'
        "$($errs[0])" | Should -Not -Match ([regex]::Escape((Get-TestToken)))
    }
}
