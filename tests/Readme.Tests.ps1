# The README's walkthrough, run as written (only the sandbox address is this test's), so it stays true.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Sandbox = Start-TestSandbox -Setting '--Sandbox:Tokens:1=sandbox-access-token'
    $readme = Get-Content (Join-Path $PSScriptRoot '../README.md') -Raw
    $blocks = [regex]::Matches($readme, '(?s)```powershell\r?\n(.*?)```') | ForEach-Object { $_.Groups[1].Value }
    $script:Walkthrough = $blocks | Where-Object { $_ -match "\`$sandbox = 'http://127\.0\.0\.1:5080'" } | Select-Object -First 1
}

AfterAll {
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'README walkthrough' {
    It 'runs from a fresh session and does what it says' {
        $script:Walkthrough | Should -Not -BeNullOrEmpty
        $code = $script:Walkthrough -replace "\`$sandbox = 'http://127\.0\.0\.1:5080'", "`$sandbox = '$($script:Sandbox.Uri)'"
        $code = "`$ErrorActionPreference = 'Stop'; Import-Module '$env:OEPS_TEST_MODULE'`n" + $code + @'

"RESULT delivered=$($summary.Delivered) rejected=$($summary.Rejected) skipped=$($again.Skipped) rejects=$(@(Import-Csv "$state/rejects.csv").Count) upload=$(Test-Path "$state/upload.csv")"
'@
        $script = Join-Path $TestDrive 'walkthrough.ps1'
        Set-Content $script $code
        $temp = New-Item -ItemType Directory (Join-Path $TestDrive 'tmp')
        $run = Invoke-ChildPwsh -Arguments '-File', $script -Environment @{ TMPDIR = "$temp/" }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match 'RESULT delivered=13 rejected=3 skipped=13 rejects=3 upload=True'
        $run.Output | Should -Match 'EventTypeUnknown'
        $run.Output | Should -Not -Match 'sophia\.martin|mia\.taylor'
    }
}
