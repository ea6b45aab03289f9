<#
.SYNOPSIS
    Builds, tests and demonstrates OfflineEvents.PS.
.DESCRIPTION
    Tasks (run in order given; each pulls in what it needs):
      Clean       remove out/ and the projects' bin/obj folders
      Build       compile the solution, assemble the importable module in out/OfflineEvents.PS
                  (an explicit list of files), generate its MAML help, publish the sandbox to out/sandbox
      UnitTest    xunit tests of the C# core (tests/OfflineEvents.Core.Tests)
      PesterTest  Pester tests (tests/*.Tests.ps1) in a child pwsh -NoProfile against the built module
      Test        UnitTest and PesterTest; exits non-zero when any test fails
      Package     packs the built module into out/packages/OfflineEvents.PS.<version>.nupkg (PSResourceGet), and the
                  sandbox as a dotnet tool, out/packages/OfflineEvents.Sandbox.<version>.nupkg
      Demo        starts the local sandbox and runs module/examples/Demo.ps1 against it
      Bench       speed and memory benchmarks on generated exports, reported as ratios (out/bench/results.json)
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 Test
.EXAMPLE
    dotnet pwsh ./build.ps1 PesterTest -TestName '*token*'
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Clean', 'Build', 'Package', 'UnitTest', 'PesterTest', 'Test', 'Demo', 'Bench')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester: run only tests whose full name matches (wildcards).
    [string[]] $TestName
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'OfflineEvents.PS'
$SandboxOut = Join-Path $Out 'sandbox'
$ResultsOut = Join-Path $Out 'TestResults'
$Version = (Import-PowerShellDataFile (Join-Path $Root 'module/OfflineEvents.PS.psd1')).ModuleVersion

# What the module folder holds, and nothing else. A new dependency must be added here on purpose.
$ModuleRootFiles = @('OfflineEvents.PS.dll', 'OfflineEvents.PS.pdb')
$DependencyFiles = @(
    'OfflineEvents.Core.dll', 'OfflineEvents.Core.pdb'
    'Polly.Core.dll', 'Microsoft.Bcl.TimeProvider.dll', 'System.ComponentModel.Annotations.dll'
    'PhoneNumbers.dll', 'System.Collections.Immutable.dll', 'CsvHelper.dll'
    'System.Text.Json.dll', 'System.Text.Encodings.Web.dll', 'Microsoft.Bcl.AsyncInterfaces.dll'
    'System.Buffers.dll', 'System.Memory.dll', 'System.Numerics.Vectors.dll'
    'System.Runtime.CompilerServices.Unsafe.dll', 'System.Threading.Tasks.Extensions.dll'
    'Microsoft.Data.Sqlite.dll', 'SQLitePCLRaw.core.dll', 'SQLitePCLRaw.provider.e_sqlite3.dll', 'SQLitePCLRaw.batteries_v2.dll'
    'TimeZoneConverter.dll'   # time zone names: IANA, Windows and Rails (issue 16), IANA ones on Windows PowerShell 5.1 too
)
# The journal's native SQLite (SQLitePCLRaw.lib.e_sqlite3), one per platform the module supports, under
# dependencies/; ModuleInitializer loads the one for the running platform. Publishing a library does not copy
# them, so they come from the NuGet cache, at the version the build resolved.
$NativeDependencyFiles = @(
    'runtimes/win-x64/native/e_sqlite3.dll', 'runtimes/win-x86/native/e_sqlite3.dll', 'runtimes/win-arm64/native/e_sqlite3.dll'
    'runtimes/linux-x64/native/libe_sqlite3.so', 'runtimes/linux-arm64/native/libe_sqlite3.so', 'runtimes/linux-musl-x64/native/libe_sqlite3.so'
    'runtimes/osx-x64/native/libe_sqlite3.dylib', 'runtimes/osx-arm64/native/libe_sqlite3.dylib'
)

$script:Done = [System.Collections.Generic.HashSet[string]]::new()
$script:Counts = [ordered]@{ Passed = 0; Failed = 0; Skipped = 0 }

function Invoke-Native {
    param([Parameter(Mandatory)] [string] $Command, [string[]] $Arguments = @())
    Write-Host "> $Command $($Arguments -join ' ')" -ForegroundColor DarkGray
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command exited with code $LASTEXITCODE" }
}

# The pwsh running this script: a real pwsh, or the PowerShell dotnet tool (dotnet + pwsh.dll).
function Invoke-ChildPwsh([string[]] $Arguments) {
    $process = [Environment]::ProcessPath
    $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    Invoke-Native $process ($prefix + @('-NoProfile', '-NonInteractive') + $Arguments)
}

function Get-NuGetPackagesFolder {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list
    return ($line -replace '^global-packages:\s*', '').Trim()
}

function Invoke-Task([string] $Name) {
    if (-not $script:Done.Add($Name)) { return }
    Write-Host "=== $Name" -ForegroundColor Cyan
    & "Invoke-$Name"
}

function Invoke-Clean {
    if (Test-Path $Out) { Remove-Item $Out -Recurse -Force }
    Get-ChildItem $Root -Directory -Recurse -Include bin, obj -ErrorAction SilentlyContinue |
        Where-Object FullName -NotLike "$Root*node_modules*" | Remove-Item -Recurse -Force
}

function Invoke-Build {
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/TestTools.proj'), '--verbosity', 'quiet')
    Invoke-Native dotnet @('build', (Join-Path $Root 'OfflineEvents.PS.sln'), '-c', $Configuration, "-p:Version=$Version", '--nologo', '--verbosity', 'quiet')

    $publish = Join-Path $Out 'obj/publish'
    if (Test-Path $publish) { Remove-Item $publish -Recurse -Force }
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/OfflineEvents.PS'), '-c', $Configuration, '--no-build', '-o', $publish, '--nologo', '--verbosity', 'quiet', "-p:Version=$Version")
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/OfflineEvents.Sandbox'), '-c', $Configuration, '--no-build', '-o', $SandboxOut, '--nologo', '--verbosity', 'quiet', "-p:Version=$Version")

    $published = Get-ChildItem $publish -File | Where-Object Extension -In '.dll', '.pdb' | ForEach-Object Name
    $expected = $ModuleRootFiles + $DependencyFiles
    $unexpected = @($published | Where-Object { $_ -notin $expected -and $_ -ne 'System.Management.Automation.dll' })
    if ($unexpected) { throw "The build produced files the module does not list (add them to `$DependencyFiles on purpose): $($unexpected -join ', ')" }
    $missing = @($expected | Where-Object { $_ -notin $published -and $_ -notlike '*.pdb' })
    if ($missing) { throw "Files the module lists were not produced: $($missing -join ', ')" }

    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    $deps = New-Item -ItemType Directory -Force -Path (Join-Path $ModuleOut 'dependencies')
    foreach ($f in $ModuleRootFiles) { if (Test-Path "$publish/$f") { Copy-Item "$publish/$f" $ModuleOut } }
    foreach ($f in $DependencyFiles) { if (Test-Path "$publish/$f") { Copy-Item "$publish/$f" $deps } }
    $nativeLibrary = (Get-Content "$publish/OfflineEvents.PS.deps.json" -Raw | ConvertFrom-Json).libraries.PSObject.Properties.Name |
        Where-Object { $_ -like 'SQLitePCLRaw.lib.e_sqlite3/*' }
    if (@($nativeLibrary).Count -ne 1) { throw "Expected one SQLitePCLRaw.lib.e_sqlite3 in the module's dependencies, found: $nativeLibrary" }
    $nativeSource = Join-Path (Get-NuGetPackagesFolder) $nativeLibrary.ToLowerInvariant()
    foreach ($f in $NativeDependencyFiles) {
        $source = Join-Path $nativeSource $f
        if (-not (Test-Path $source)) { throw "The native library $f is not in $nativeSource." }
        $target = Join-Path $deps $f
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $target)
        Copy-Item $source $target
    }
    Copy-Item (Join-Path $Root 'module/OfflineEvents.PS.psd1'), (Join-Path $Root 'module/OfflineEvents.PS.format.ps1xml') $ModuleOut
    Copy-Item (Join-Path $Root 'module/en-US') $ModuleOut -Recurse
    Copy-Item (Join-Path $Root 'module/examples') $ModuleOut -Recurse

    # Help needs the module loaded; a child process keeps this session from locking the DLLs.
    Invoke-ChildPwsh @('-File', (Join-Path $Root 'src/HelpBuilder/New-MamlHelp.ps1'),
        '-ModulePath', (Join-Path $ModuleOut 'OfflineEvents.PS.psd1'), '-SourceFolder', (Join-Path $Root 'module/help'),
        '-OutputFile', (Join-Path $ModuleOut 'en-US/OfflineEvents.PS.dll-Help.xml'))
    Write-Host "Module $Version assembled in $ModuleOut"
}

function Read-TrxCounts([string] $folder) {
    $counts = @{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($trx in Get-ChildItem $folder -Filter *.trx -ErrorAction SilentlyContinue) {
        $c = ([xml](Get-Content $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $counts.Passed += [int]$c.passed; $counts.Failed += [int]$c.failed + [int]$c.error + [int]$c.timeout
        $counts.Skipped += [int]$c.notExecuted
    }
    return $counts
}

function Invoke-UnitTest {
    Invoke-Task Build
    $trxFolder = Join-Path $ResultsOut 'xunit'
    if (Test-Path $trxFolder) { Remove-Item $trxFolder -Recurse -Force }
    & dotnet test (Join-Path $Root 'tests/OfflineEvents.Core.Tests') -c $Configuration --no-build --nologo `
        --logger 'console;verbosity=normal' --logger 'trx' --results-directory $trxFolder
    $exit = $LASTEXITCODE
    $c = Read-TrxCounts $trxFolder
    foreach ($k in 'Passed', 'Failed', 'Skipped') { $script:Counts[$k] += $c[$k] }
    Write-Host "xunit: $($c.Passed) passed, $($c.Failed) failed, $($c.Skipped) skipped"
    if ($exit -ne 0 -and $c.Failed -eq 0) { $script:Counts.Failed++; Write-Warning "dotnet test exited with $exit" }
}

$PackagesOut = Join-Path $Out 'packages'

function Invoke-Package {
    Invoke-Task Build
    if (Test-Path $PackagesOut) { Remove-Item $PackagesOut -Recurse -Force }
    $null = New-Item -ItemType Directory -Path $PackagesOut
    # Compress-PSResource ships with PowerShell 7.4+ (PSResourceGet); it validates the manifest and writes the nuspec.
    Invoke-ChildPwsh @('-Command', "Import-Module Microsoft.PowerShell.PSResourceGet; Compress-PSResource -Path '$ModuleOut' -DestinationPath '$PackagesOut'")
    $package = Join-Path $PackagesOut "OfflineEvents.PS.$Version.nupkg"
    if (-not (Test-Path $package)) { throw "Packing did not produce $package" }
    Write-Host "Package: $package"
    # The sandbox as a dotnet tool, for the README's walkthrough without a clone.
    Invoke-Native dotnet @('pack', (Join-Path $Root 'src/OfflineEvents.Sandbox'), '-c', $Configuration, '--no-build', '-o', $PackagesOut, '--nologo', '--verbosity', 'quiet', "-p:Version=$Version")
    $tool = Join-Path $PackagesOut "OfflineEvents.Sandbox.$Version.nupkg"
    if (-not (Test-Path $tool)) { throw "Packing did not produce $tool" }
    Write-Host "Sandbox tool package: $tool"
}

function Invoke-PesterTest {
    Invoke-Task Build
    Invoke-Task Package   # the packaging test installs it
    $pester = Join-Path (Get-NuGetPackagesFolder) 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) { throw "Pester was not restored at $pester (tests/TestTools.proj)." }
    $summary = Join-Path $ResultsOut 'pester-summary.json'
    $null = New-Item -ItemType Directory -Force -Path $ResultsOut
    if (Test-Path $summary) { Remove-Item $summary }   # a stale summary must never stand for this run
    $runnerArgs = @('-File', (Join-Path $Root 'tests/Invoke-PesterTests.ps1'),
        '-PesterPath', $pester, '-ModulePath', (Join-Path $ModuleOut 'OfflineEvents.PS.psd1'),
        '-SandboxPath', (Join-Path $SandboxOut 'OfflineEvents.Sandbox.dll'), '-ResultsFolder', $ResultsOut, '-SummaryPath', $summary,
        '-PackagePath', (Join-Path $PackagesOut "OfflineEvents.PS.$Version.nupkg"))
    if ($TestName) { $runnerArgs += @('-TestName', ($TestName -join ',')) }
    $exit = 0
    try { Invoke-ChildPwsh $runnerArgs } catch { $exit = 1 }
    if (-not (Test-Path $summary)) { $script:Counts.Failed++; Write-Warning "Pester did not finish (exit code $exit)"; return }
    $c = Get-Content $summary -Raw | ConvertFrom-Json
    if ($null -eq $c.Passed -or $null -eq $c.Failed) { $script:Counts.Failed++; Write-Warning "Pester's summary has no counts (exit code $exit)"; return }
    $script:Counts.Passed += $c.Passed; $script:Counts.Failed += $c.Failed; $script:Counts.Skipped += $c.Skipped
    Write-Host "Pester: $($c.Passed) passed, $($c.Failed) failed, $($c.Skipped) skipped"
    if ($exit -ne 0 -and $c.Failed -eq 0) { $script:Counts.Failed++; Write-Warning "Pester exited with $exit" }
}

function Invoke-Test {
    Invoke-Task UnitTest
    Invoke-Task PesterTest
}

function Invoke-Demo {
    Invoke-Task Build
    Invoke-ChildPwsh @('-File', (Join-Path $ModuleOut 'examples/Demo.ps1'),
        '-ModulePath', (Join-Path $ModuleOut 'OfflineEvents.PS.psd1'), '-SandboxPath', (Join-Path $SandboxOut 'OfflineEvents.Sandbox.dll'))
}

function Invoke-Bench {
    Invoke-Task Build
    $generator = Join-Path $Root '../shared/bench/gen_offline_csv.py'
    if (-not (Test-Path $generator)) { throw "The export generator is expected beside the checkout at $generator." }
    Invoke-ChildPwsh @('-File', (Join-Path $Root 'tests/Benchmarks/Invoke-Benchmarks.ps1'),
        '-ModulePath', (Join-Path $ModuleOut 'OfflineEvents.PS.psd1'),
        '-BenchmarkDll', (Join-Path $Root "tests/Benchmarks/bin/$Configuration/net10.0/OfflineEvents.Benchmarks.dll"),
        '-Generator', $generator, '-OutFolder', (Join-Path $Out 'bench'), '-SandboxPath', (Join-Path $SandboxOut 'OfflineEvents.Sandbox.dll'))
}

$clock = [Diagnostics.Stopwatch]::StartNew()
foreach ($t in $Task) { Invoke-Task $t }
if ($script:Done.Contains('UnitTest') -or $script:Done.Contains('PesterTest')) {
    Write-Host ("Finished in {0:0} s" -f $clock.Elapsed.TotalSeconds)
    # The plain closing line CI reads.
    Write-Host "Tests: $($script:Counts.Passed) passed, $($script:Counts.Failed) failed, $($script:Counts.Skipped) skipped"
    if ($script:Counts.Failed -gt 0) { exit 1 }
}
exit 0
