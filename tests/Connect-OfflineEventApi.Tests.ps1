BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Sandbox = Start-TestSandbox
}
AfterAll {
    Disconnect-OfflineEventApi
    Stop-TestSandbox $script:Sandbox
}

Describe 'Connect-OfflineEventApi' {
    BeforeEach { Disconnect-OfflineEventApi }

    It 'connects with a SecureString token and writes no output without -PassThru' {
        $out = Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri
        $out | Should -BeNullOrEmpty
        { Get-OfflineEventSet } | Should -Not -Throw
    }

    It '-PassThru describes the connection without the token' {
        $c = Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri -PassThru
        $c.PSTypeNames[0] | Should -Be 'OfflineEvents.PS.Output.OfflineEventConnection'
        $c.AdvertiserId | Should -Be (Get-TestAdvertiser)
        $c.ApiBaseUri.AbsolutePath | Should -Be '/open_api/v1.3/'
        $c.TokenSource | Should -Be 'Parameter'
        $c.EventSetCount | Should -BeGreaterOrEqual 0
        ($c | Format-List | Out-String) | Should -Not -Match ([regex]::Escape((Get-TestToken)))
        ($c | ConvertTo-Json) | Should -Not -Match ([regex]::Escape((Get-TestToken)))
    }

    It 'takes a PSCredential: user name = advertiser, password = token' {
        $cred = [pscredential]::new((Get-TestAdvertiser), (Get-TestSecureToken))
        $c = Connect-OfflineEventApi -Credential $cred -ApiBaseUri $script:Sandbox.Uri -PassThru
        $c.TokenSource | Should -Be 'Credential'
    }

    It 'reads the advertiser, token and URI from environment variables' {
        try {
            $env:OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser
            $env:OFFLINEEVENTS_ACCESS_TOKEN = Get-TestToken
            $env:OFFLINEEVENTS_API_URI = "$($script:Sandbox.Uri)"
            $c = Connect-OfflineEventApi -PassThru
            $c.TokenSource | Should -Be 'Environment'
            $c.ApiBaseUri.Port | Should -Be $script:Sandbox.Uri.Port
        }
        finally {
            Remove-Item env:OFFLINEEVENTS_ADVERTISER_ID, env:OFFLINEEVENTS_ACCESS_TOKEN, env:OFFLINEEVENTS_API_URI -ErrorAction SilentlyContinue
        }
    }

    It 'lets cmdlets work from environment variables alone, with no Connect' {
        try {
            $env:OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser
            $env:OFFLINEEVENTS_ACCESS_TOKEN = Get-TestToken
            $env:OFFLINEEVENTS_API_URI = "$($script:Sandbox.Uri)"
            { Get-OfflineEventSet -ErrorAction Stop } | Should -Not -Throw
        }
        finally {
            Remove-Item env:OFFLINEEVENTS_ADVERTISER_ID, env:OFFLINEEVENTS_ACCESS_TOKEN, env:OFFLINEEVENTS_API_URI -ErrorAction SilentlyContinue
        }
    }

    It 'fails with OfflineEvents.NotConnected when nothing says where to connect' {
        $err = { Get-OfflineEventSet } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.NotConnected,*'
        $err.Exception.Message | Should -Match 'Connect-OfflineEventApi'
    }

    It 'a wrong token is a terminating authentication error naming the request id, never the token' {
        $wrong = 'wrong-token-1234567890abcdef'
        $err = { Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (ConvertTo-SecureString $wrong -AsPlainText -Force) -ApiBaseUri $script:Sandbox.Uri } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.AuthenticationFailed,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.Exception.Message | Should -Match 'request id \d+'
        $err.Exception.RequestId | Should -Not -BeNullOrEmpty
        ($err | Out-String) + $err.Exception.ToString() | Should -Not -Match $wrong
        $err.ErrorDetails.RecommendedAction | Should -Match 'OFFLINEEVENTS_ACCESS_TOKEN'
    }

    It 'an expired token is an authentication error (40102)' {
        $err = { Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (ConvertTo-SecureString 'pester-expired-token' -AsPlainText -Force) -ApiBaseUri $script:Sandbox.Uri } |
            Should -Throw -PassThru
        $err.Exception.Code | Should -Be 40102
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.AuthenticationFailed,*'
    }

    It 'an advertiser the token may not act for is PermissionDenied' {
        $err = { Connect-OfflineEventApi -AdvertiserId 7999999999999999999 -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.PermissionDenied,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'a failed connect keeps the earlier connection' {
        Connect-TestSandbox $script:Sandbox
        { Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (ConvertTo-SecureString 'nope' -AsPlainText -Force) -ApiBaseUri $script:Sandbox.Uri } | Should -Throw
        { Get-OfflineEventSet -ErrorAction Stop } | Should -Not -Throw
    }

    It 'an unreachable API is a ConnectionFailed error after the retry budget' {
        $clock = [Diagnostics.Stopwatch]::StartNew()
        $err = { Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri http://127.0.0.1:1 -MaxRetryCount 2 -RetryDelaySec 0.05 } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.ConnectionFailed,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.Exception.Message | Should -Match '127\.0\.0\.1:1'
        $err.Exception.Message | Should -Match 'after 3 attempts'
    }

    It 'refuses plain http to a non-loopback host before sending anything' {
        $err = { Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri http://example.com/ } |
            Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.InvalidConnection,*'
        $err.Exception.Message | Should -Match 'https'
    }

    It 'validates the advertiser id as digits' {
        { Connect-OfflineEventApi -AdvertiserId 'abc' -AccessToken (Get-TestSecureToken) -SkipCheck } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It '-SkipCheck connects without calling the API' {
        $before = (Get-SandboxStats $script:Sandbox).requests
        Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri -SkipCheck
        (Get-SandboxStats $script:Sandbox).requests | Should -Be $before
    }

    It 'retries through a burst of 40100 rate-limit answers and succeeds' {
        Connect-TestSandbox $script:Sandbox -MaxRetryCount 4
        Set-SandboxFault $script:Sandbox @{ rules = @(@{ kind = 'Api'; code = 40100; times = 3; path = 'offline/get' }) }
        $before = (Get-SandboxStats $script:Sandbox).requests
        $debug = Get-OfflineEventSet -Debug 5>&1 | Where-Object { $_ -is [System.Management.Automation.DebugRecord] }
        (Get-SandboxStats $script:Sandbox).requests - $before | Should -Be 4
        @($debug | Where-Object Message -Match '^Retry').Count | Should -Be 3
        @($debug | Where-Object Message -Match '40100').Count | Should -BeGreaterOrEqual 3
    }
}

Describe 'Disconnect-OfflineEventApi' {
    It 'forgets the connection' {
        Connect-TestSandbox $script:Sandbox
        Disconnect-OfflineEventApi
        { Get-OfflineEventSet } | Should -Throw -ErrorId 'OfflineEvents.NotConnected,*'
    }

    It 'is quiet when not connected' {
        Disconnect-OfflineEventApi
        { Disconnect-OfflineEventApi -ErrorAction Stop } | Should -Not -Throw
    }
}

Describe 'No token in any stream' {
    It 'never shows the token in the six streams of a full session with -Verbose -Debug, failures included' {
        $wrong = 'wrong-token-abcdef0123456789'
        $records = & {
            $ErrorActionPreference = 'Continue'; $DebugPreference = 'Continue'; $VerbosePreference = 'Continue'; $InformationPreference = 'Continue'
            Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri -PassThru -Verbose -Debug
            Set-SandboxFault $script:Sandbox @{ rules = @(@{ kind = 'Api'; code = 40100; times = 1; path = 'offline/create' }, @{ kind = 'Http'; status = 503; times = 1; path = 'offline/get' }) }
            $set = New-OfflineEventSet -Name 'secret-scan' -Verbose -Debug
            Get-OfflineEventSet -Verbose -Debug
            $set | Set-OfflineEventSet -Name 'secret-scan-2' -PassThru -Verbose -Debug
            Get-OfflineEventSet -Name 'missing' -Verbose -Debug
            Get-OfflineEventSet -EventSetId 7300000000000000999 -Verbose -Debug
            $set | Remove-OfflineEventSet -Force -Verbose -Debug
            Remove-OfflineEventSet -EventSetId 7300000000000000999 -Force -Verbose -Debug
            try { Get-OfflineEventSet -AccessToken (ConvertTo-SecureString $wrong -AsPlainText -Force) -Verbose -Debug } catch { $_ }
            Write-Information 'done'
        } *>&1
        $records.Count | Should -BeGreaterThan 10
        $text = ($records | ForEach-Object {
                $_ | Out-String
                if ($_ -is [System.Management.Automation.ErrorRecord]) { $_.Exception.ToString(); "$($_.TargetObject)"; "$($_.ErrorDetails)" }
                $_ | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
            }) -join "`n"
        $text | Should -Match 'DEBUG|request id'
        $text | Should -Not -Match ([regex]::Escape((Get-TestToken)))
        $text | Should -Not -Match $wrong
        ($Error | ForEach-Object { $_.Exception.ToString() }) -join "`n" | Should -Not -Match ([regex]::Escape((Get-TestToken)))
    }
}
