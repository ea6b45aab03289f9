<#
.SYNOPSIS
    The benchmarks behind build.ps1 Bench: speed and memory as ratios measured in one run.
.DESCRIPTION
    Generates realistic exports with shared/bench/gen_offline_csv.py (deterministic), then measures:
      - the core normalizer+hasher alone (one core), emails/s and phones/s;
      - in this one pwsh session: Import-Csv | Measure-Object, Import-Csv | Export-Csv,
        Import-Csv | ConvertTo-HashedPii | Export-Csv and the naive admin script, as rows/s and ratios;
      - peak memory of the ConvertTo-HashedPii pipeline on a small and a large input, each in a fresh process.
    Prints a table of measurements against targets and writes them to out/bench/results.json.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $BenchmarkDll,
    [Parameter(Mandatory)] [string] $Generator,
    [Parameter(Mandatory)] [string] $OutFolder
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3
$null = New-Item -ItemType Directory -Force -Path $OutFolder

function New-Export([int] $MegaBytes) {
    $path = Join-Path $OutFolder "offline-${MegaBytes}mb.csv"
    if (-not (Test-Path $path)) {
        & python3 $Generator --target-mb $MegaBytes $path | Out-Host
        if ($LASTEXITCODE) { throw "the generator failed ($LASTEXITCODE)" }
    }
    return $path
}

function Measure-Seconds([scriptblock] $Work) {
    [GC]::Collect(); [GC]::WaitForPendingFinalizers()
    $clock = [Diagnostics.Stopwatch]::StartNew()
    & $Work | Out-Null
    return $clock.Elapsed.TotalSeconds
}

# Peak resident memory of a fresh pwsh running one pipeline (Linux: VmHWM; Windows: PeakWorkingSet64).
function Measure-PeakMemoryMB([string] $Script) {
    $process = [Environment]::ProcessPath
    $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $probe = $Script + @'

$status = '/proc/self/status'
if (Test-Path $status) { ((Get-Content $status | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', '') / 1024 }
else { [Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64 / 1MB }
'@
    $out = & $process @prefix -NoProfile -NonInteractive -Command $probe
    if ($LASTEXITCODE) { throw "memory probe failed: $out" }
    return [double]($out | Select-Object -Last 1)
}

$big = New-Export 50
$small = New-Export 10
$warm = New-Export 1
$rows = (Get-Content $big -ReadCount 10000 | Measure-Object -Property Count -Sum).Sum - 1
$results = [ordered]@{ rows = $rows; file_mb = [math]::Round((Get-Item $big).Length / 1MB, 1) }

# 1. The core alone.
$coreJson = Join-Path $OutFolder 'normalizer.json'
& dotnet $BenchmarkDll normalizer $big $coreJson | Out-Null
if ($LASTEXITCODE) { throw "the normalizer benchmark failed ($LASTEXITCODE)" }
$core = Get-Content $coreJson -Raw | ConvertFrom-Json
$results.core_emails_per_s = [math]::Round($core.emails_per_second)
$results.core_phones_per_s = [math]::Round($core.phones_per_second)

# 2. Pipelines, all in this session, after a warm-up on a small file.
Import-Module $ModulePath
$sink = Join-Path $OutFolder 'sink.csv'
$naive = {
    param($in, $out)
    $sha = [System.Security.Cryptography.SHA256]::Create()
    Import-Csv $in | ForEach-Object {
        if ($_.email) { $_.email = [Convert]::ToHexString($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($_.email.Trim().ToLowerInvariant()))).ToLowerInvariant() }
        if ($_.phone) { $_.phone = [Convert]::ToHexString($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($_.phone.Trim().ToLowerInvariant()))).ToLowerInvariant() }
        $_
    } | Export-Csv $out -NoTypeInformation
}
$hashed = { param($in, $out) Import-Csv $in | ConvertTo-HashedPii -DefaultRegion US -ErrorAction Ignore -WarningAction Ignore | Export-Csv $out -NoTypeInformation }
foreach ($w in { param($in) Import-Csv $in | Export-Csv $sink -NoTypeInformation }, $hashed, $naive) { & $w $warm $sink }

$t = [ordered]@{}
$t.measure = Measure-Seconds { Import-Csv $big | Measure-Object }
$t.export = Measure-Seconds { Import-Csv $big | Export-Csv $sink -NoTypeInformation }
$t.hashed = Measure-Seconds { & $hashed $big $sink }
$t.naive = Measure-Seconds { & $naive $big $sink }
foreach ($k in @($t.Keys)) { $results["${k}_rows_per_s"] = [math]::Round($rows / $t[$k]) }
$results.hashed_vs_export = [math]::Round($t.hashed / $t.export, 2)
$results.cmdlet_share = [math]::Round(($t.hashed - $t.export) / $t.hashed, 2)
$results.hashed_speedup_vs_naive = [math]::Round($t.naive / $t.hashed, 2)

# 3. Memory: the same pipeline on 10 MB and 50 MB, each in a fresh process.
$pipeline = "Import-Module '$ModulePath'; Import-Csv '{0}' | ConvertTo-HashedPii -DefaultRegion US -ErrorAction Ignore -WarningAction Ignore | Export-Csv '$sink' -NoTypeInformation"
$results.hashed_peak_mb_10mb = [math]::Round((Measure-PeakMemoryMB ($pipeline -f $small)), 1)
$results.hashed_peak_mb_50mb = [math]::Round((Measure-PeakMemoryMB ($pipeline -f $big)), 1)
$results.hashed_memory_growth = [math]::Round($results.hashed_peak_mb_50mb / $results.hashed_peak_mb_10mb, 2)
Remove-Item $sink -ErrorAction SilentlyContinue

$targets = @(
    @{ Name = 'Core emails/s (one core)'; Value = $results.core_emails_per_s; Target = '>= 1,000,000'; Ok = $results.core_emails_per_s -ge 1e6 }
    @{ Name = 'Core phones/s (one core)'; Value = $results.core_phones_per_s; Target = '>= 200,000'; Ok = $results.core_phones_per_s -ge 2e5 }
    @{ Name = 'Import|Hash|Export vs Import|Export'; Value = "$($results.hashed_vs_export)x"; Target = '<= 1.5x'; Ok = $results.hashed_vs_export -le 1.5 }
    @{ Name = "ConvertTo-HashedPii's share of that pipeline"; Value = $results.cmdlet_share; Target = '< 0.33'; Ok = $results.cmdlet_share -lt 0.33 }
    @{ Name = 'Speed-up over the naive script'; Value = "$($results.hashed_speedup_vs_naive)x"; Target = '> 1x'; Ok = $results.hashed_speedup_vs_naive -gt 1 }
    @{ Name = 'Peak memory 50 MB vs 10 MB input'; Value = "$($results.hashed_memory_growth)x ($($results.hashed_peak_mb_10mb) -> $($results.hashed_peak_mb_50mb) MB)"; Target = 'flat (< 1.3x)'; Ok = $results.hashed_memory_growth -lt 1.3 }
)
Write-Host ("`nBenchmarks on {0:N0} rows ({1} MB), one run:" -f $rows, $results.file_mb)
Write-Host ('  Import-Csv | Measure-Object        {0,9:N0} rows/s' -f $results.measure_rows_per_s)
Write-Host ('  Import-Csv | Export-Csv            {0,9:N0} rows/s' -f $results.export_rows_per_s)
Write-Host ('  Import | ConvertTo-HashedPii | Export {0,7:N0} rows/s' -f $results.hashed_rows_per_s)
Write-Host ('  naive script (trim, lower, SHA-256) {0,8:N0} rows/s' -f $results.naive_rows_per_s)
$targets | ForEach-Object { [pscustomobject]@{ Measure = $_.Name; Value = $_.Value; Target = $_.Target; Met = $_.Ok } } | Format-Table -AutoSize | Out-Host
$results.targets_met = @($targets | Where-Object Ok).Count
$results.targets = $targets.Count
$results | ConvertTo-Json | Set-Content (Join-Path $OutFolder 'results.json')
