<#
.SYNOPSIS
    The OfflineEvents.PS demo: starts the local sandbox and manages an offline event set end to end.
.DESCRIPTION
    Starts the sandbox on a free loopback port with a token made up for this run, connects, creates an
    offline event set, lists the sets, renames the new one, removes it, and prints each result.
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

    Write-Host "> New-OfflineEventSet -Name 'Stores - POS' -Description 'Nightly till export'" -ForegroundColor Yellow
    $set = New-OfflineEventSet -Name 'Stores - POS' -Description 'Nightly till export'
    $set | Out-Host
    Write-Host "> 'Call center', 'Web leads' | New-OfflineEventSet -AutoTracking `$false" -ForegroundColor Yellow
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
