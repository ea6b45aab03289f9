<#
.SYNOPSIS
    Runs the Pester suite against a built module; called by build.ps1 in a child pwsh -NoProfile.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $PesterPath,
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SandboxPath,
    [Parameter(Mandatory)] [string] $ResultsFolder,
    [Parameter(Mandatory)] [string] $SummaryPath,
    [Parameter(Mandatory)] [string] $PackagePath,
    [string] $TestName
)
$ErrorActionPreference = 'Stop'

# The machine's own connection settings must not leak into tests.
Get-ChildItem env:OFFLINEEVENTS_* | ForEach-Object { Remove-Item "env:$($_.Name)" }
$env:OEPS_TEST_MODULE = $ModulePath
$env:OEPS_TEST_SANDBOX = $SandboxPath
$env:OEPS_TEST_PACKAGE = $PackagePath

Import-Module $PesterPath -Force
$config = New-PesterConfiguration
$config.Run.Path = $PSScriptRoot
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = Join-Path $ResultsFolder 'pester.xml'
if ($TestName) { $config.Filter.FullName = $TestName -split ',' }

$result = Invoke-Pester -Configuration $config
# A run that broke down itself (e.g. its result report could not be written) has no result: that is a failure too.
if ($null -eq $result) {
    [ordered]@{ Passed = 0; Failed = 1; Skipped = 0 } | ConvertTo-Json | Set-Content -Path $SummaryPath -Encoding utf8
    exit 1
}
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
[ordered]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount + $result.NotRunCount } |
    ConvertTo-Json | Set-Content -Path $SummaryPath -Encoding utf8
exit ([int]($failed -gt 0))
