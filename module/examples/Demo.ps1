<#
.SYNOPSIS
    The OfflineEvents.PS demo: the main job end to end against the local sandbox.
.DESCRIPTION
    Starts the sandbox on a free loopback port with a token made up for this run, connects, creates an
    offline event set, checks the shipped sample export (sample-export.csv: 16 rows, 3 of them bad), sends
    it with a journal and a reject file, sends it again to show the journal skipping everything, prints
    the summaries and the rejects, then shows the other event set cmdlets (list, rename, remove).
    Run it through build.ps1 Demo, or directly once the module and sandbox are built.
.EXAMPLE
    dotnet pwsh ./build.ps1 Demo
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../OfflineEvents.PS.psd1'),
    [Parameter(Mandatory)] [string] $SandboxPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

# A token invented for this run: the sandbox accepts it, and it exists nowhere else.
$tokenText = [guid]::NewGuid().ToString('N')
$advertiser = '7000000000000000001'
$psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
foreach ($a in $SandboxPath, '--urls', 'http://127.0.0.1:0', "--Sandbox:Tokens:0=$tokenText", "--Sandbox:Advertisers:0=$advertiser") { $psi.ArgumentList.Add($a) }
$psi.RedirectStandardOutput = $true
$sandbox = [Diagnostics.Process]::Start($psi)
try {
    $line = $sandbox.StandardOutput.ReadLine()
    if ($line -notmatch '(http://127\.0\.0\.1:\d+)') { throw "The sandbox did not start: $line" }
    $uri = $Matches[1]
    Write-Host "Sandbox: $uri" -ForegroundColor Cyan

    $token = ConvertTo-SecureString $tokenText -AsPlainText -Force
    Remove-Variable tokenText

    Write-Host "`n> Connect-OfflineEventApi -AdvertiserId $advertiser -AccessToken `$token -ApiBaseUri $uri -PassThru" -ForegroundColor Yellow
    Connect-OfflineEventApi -AdvertiserId $advertiser -AccessToken $token -ApiBaseUri $uri -PassThru | Format-List | Out-Host

    Write-Host "> `$set = New-OfflineEventSet -Name 'Stores - POS' -Description 'Nightly till export'" -ForegroundColor Yellow
    $set = New-OfflineEventSet -Name 'Stores - POS' -Description 'Nightly till export'
    $set | Out-Host

    $sample = Join-Path $PSScriptRoot 'sample-export.csv'
    $work = Join-Path ([IO.Path]::GetTempPath()) "offlineevents-demo-$PID"
    $null = New-Item -ItemType Directory $work -Force
    $journal = Join-Path $work 'sent.journal'
    $rejects = Join-Path $work 'rejects.csv'

    Write-Host "> Test-OfflineEventFile sample-export.csv -DefaultRegion US" -ForegroundColor Yellow
    $check = Test-OfflineEventFile $sample -DefaultRegion US
    $check | Out-Host
    $check.Issues | Format-Table Row, Column, Rule, Message -Wrap | Out-Host

    $send = "Send-OfflineEvent -Path sample-export.csv -EventSetId $($set.EventSetId) -DefaultRegion US -JournalPath sent.journal -RejectPath rejects.csv"
    Write-Host "> $send" -ForegroundColor Yellow
    $first = Send-OfflineEvent -Path $sample -EventSetId $set.EventSetId -DefaultRegion US -JournalPath $journal -RejectPath $rejects `
        -ErrorAction SilentlyContinue -ErrorVariable rejected -WarningAction SilentlyContinue -WarningVariable warned
    foreach ($e in $rejected) { Write-Host "  error $($e.FullyQualifiedErrorId.Split(',')[0]): $($e.Exception.Message)" -ForegroundColor DarkYellow }
    foreach ($w in $warned) { Write-Host "  warning: $w" -ForegroundColor DarkYellow }
    $first | Out-Host
    if ($first.Delivered -ne 13 -or $first.Rejected -ne 3) { throw "Expected 13 delivered and 3 rejected, got $first" }

    Write-Host "> $send   # again: the journal skips what was delivered" -ForegroundColor Yellow
    $second = Send-OfflineEvent -Path $sample -EventSetId $set.EventSetId -DefaultRegion US -JournalPath $journal -RejectPath $rejects `
        -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    $second | Format-List Read, Delivered, Skipped, Rejected, Requests | Out-Host
    if ($second.Delivered -ne 0 -or $second.Skipped -ne 13) { throw "Expected the rerun to skip all 13 events, got $second" }

    Write-Host "> Import-Csv rejects.csv | Format-List source_row, email, rule_id, reason   # PII hashed or masked" -ForegroundColor Yellow
    Import-Csv $rejects | Format-List source_row, email, rule_id, reason | Out-Host

    $stats = Invoke-RestMethod "$uri/sandbox/stats"
    Write-Host "The sandbox accepted $($stats.events_accepted) events in $($stats.track_requests) event/track requests." -ForegroundColor Cyan
    Remove-Item $work -Recurse -Force

    Write-Host "`n> 'Call center', 'Web leads' | New-OfflineEventSet -AutoTracking `$false" -ForegroundColor Yellow
    'Call center', 'Web leads' | New-OfflineEventSet -AutoTracking $false | Out-Host

    Write-Host '> Get-OfflineEventSet' -ForegroundColor Yellow
    Get-OfflineEventSet | Out-Host

    Write-Host "> Get-OfflineEventSet -Name 'Stores*' | Set-OfflineEventSet -Name 'Stores - POS (EU)' -PassThru" -ForegroundColor Yellow
    Get-OfflineEventSet -Name 'Stores*' | Set-OfflineEventSet -Name 'Stores - POS (EU)' -PassThru | Out-Host

    Write-Host "> Remove-OfflineEventSet -EventSetId $($set.EventSetId) -Force -Verbose" -ForegroundColor Yellow
    Remove-OfflineEventSet -EventSetId $set.EventSetId -Force -Verbose

    Write-Host "`n> Get-OfflineEventSet" -ForegroundColor Yellow
    Get-OfflineEventSet | Out-Host

    Write-Host "> Get-OfflineEventSet -EventSetId $($set.EventSetId)   # gone: a non-terminating ObjectNotFound error" -ForegroundColor Yellow
    Get-OfflineEventSet -EventSetId $set.EventSetId -ErrorAction SilentlyContinue -ErrorVariable notFound
    Write-Host "  $($notFound[0].FullyQualifiedErrorId): $($notFound[0].Exception.Message)"

    Disconnect-OfflineEventApi
    Write-Host "`nDemo complete." -ForegroundColor Green
}
finally {
    if (-not $sandbox.HasExited) { $sandbox.Kill() }
    $sandbox.Dispose()
}
