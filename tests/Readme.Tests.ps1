# The README's walkthrough, run as written (only the sandbox address is this test's), so it stays true.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Sandbox = Start-TestSandbox -Setting '--Sandbox:Tokens:1=sandbox-access-token'
}

AfterAll {
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'README walkthrough' {
    It 'runs from a fresh session and does what it says' {
        $code = Get-ReadmeWalkthrough -SandboxUri $script:Sandbox.Uri -ImportLine "Import-Module '$env:OEPS_TEST_MODULE'"
        $script = Join-Path $TestDrive 'walkthrough.ps1'
        Set-Content $script $code
        $temp = New-Item -ItemType Directory (Join-Path $TestDrive 'tmp')
        $run = Invoke-ChildPwsh -Arguments '-File', $script -Environment @{ TMPDIR = "$temp/" }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'RESULT delivered=13 rejected=3 skipped=13 rejects=3 upload=True orders=3/5'
        $run.Output | Should -Match 'EventTypeUnknown'
        $run.Output | Should -Not -Match 'sophia\.martin|mia\.taylor'
    }
}
