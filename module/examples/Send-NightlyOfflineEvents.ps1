<#
.SYNOPSIS
    The nightly job: send the night's offline-conversion exports to a TikTok offline event set, unattended.
.DESCRIPTION
    Meant for Windows Task Scheduler, cron or a systemd timer (see about_OfflineEvents, "UNATTENDED RUNS").
    - The access token comes from SecretManagement (Get-Secret returns a SecureString) when -SecretName is given
      and the module is installed, else from the OFFLINEEVENTS_ACCESS_TOKEN environment variable. The advertiser
      id comes from -AdvertiserId or OFFLINEEVENTS_ADVERTISER_ID. Neither is ever written to the log.
    - A journal in -StatePath makes reruns send only what is new; rejected rows go to a dated reject file there.
    - Transcripts and reject files older than -KeepLogDays (default 90) are deleted at the start of each run (one that
      cannot be deleted is named in the transcript and left; the run goes on).
    - A transcript of the run is written to -StatePath/logs. It holds counts, masked values and request ids,
      never a token or plaintext PII.
    - The exit code says how it went: 0 when everything was delivered or skipped as already delivered (rejects
      under -MaxRejectPercent included), 1 when the run failed (bad token, outage, more rejects than allowed, or
      an export that could not be read: missing, a wildcard matching nothing, refused as not UTF-8), with the
      reason in the transcript. Task Scheduler shows it as the "Last Run Result"; cron mails it; systemd
      marks the unit failed.
.EXAMPLE
    pwsh -NoProfile -NonInteractive -File Send-NightlyOfflineEvents.ps1 -Path 'D:\exports\pos-*.csv' -EventSetId 7301234567890123456 -StatePath D:\offline-events -DefaultRegion US -SecretName TikTokToken
#>
[CmdletBinding()]
param(
    # The exports to send (wildcards).
    [Parameter(Mandatory)] [string[]] $Path,
    [Parameter(Mandatory)] [string] $EventSetId,
    # Where the journal, reject files and logs live.
    [Parameter(Mandatory)] [string] $StatePath,
    [string] $DefaultRegion,
    [string] $TimeZone,
    [string] $AdvertiserId = $env:OFFLINEEVENTS_ADVERTISER_ID,
    # A SecretManagement secret holding the access token; without it, OFFLINEEVENTS_ACCESS_TOKEN is used.
    [string] $SecretName,
    [double] $MaxRejectPercent = 5,
    # Transcripts (logs/send-*.log) and reject files (rejects-*.csv) this script wrote more than this many days ago
    # are deleted at the start of a run; 0 keeps them all. The journal is never pruned.
    [ValidateRange(0, 36500)] [int] $KeepLogDays = 90,
    # The API address; the real TikTok API unless OFFLINEEVENTS_API_URI says otherwise (the sandbox, in tests).
    [uri] $ApiBaseUri
)
$ErrorActionPreference = 'Stop'
$logs = Join-Path $StatePath 'logs'
$null = New-Item -ItemType Directory -Force -Path $logs
$stamp = Get-Date -Format 'yyyyMMdd-HHmmss'
Start-Transcript -Path (Join-Path $logs "send-$stamp.log") | Out-Null
$exitCode = 1
try {
    if ($KeepLogDays -gt 0) {
        # Only names this script gives its own files, and never a file this run is asked to send (a fixed reject file).
        $cutoff = (Get-Date).AddDays(-$KeepLogDays)
        $inputs = @(Resolve-Path -Path $Path -ErrorAction SilentlyContinue | ForEach-Object ProviderPath)
        $old = @(Get-ChildItem -LiteralPath $logs -File -Filter 'send-*.log') + @(Get-ChildItem -LiteralPath $StatePath -File -Filter 'rejects-*.csv') |
            Where-Object { $_.Name -match '^(send|rejects)-\d{8}-\d{6}\.(log|csv)$' -and $_.LastWriteTime -lt $cutoff -and $_.FullName -notin $inputs }
        # Tidying must not cost a night's send: a file that cannot be removed (in use, no permission) is named and left.
        $old | Remove-Item -Force -ErrorAction SilentlyContinue -ErrorVariable stuck
        foreach ($e in $stuck) { Write-Host "Could not remove $($e.TargetObject): $($e.Exception.Message)" }
        $removed = $old.Count - $stuck.Count
        if ($removed -gt 0) { Write-Host "Removed $removed transcript(s) and reject file(s) older than $KeepLogDays days." }
    }
    Import-Module OfflineEvents.PS
    $connect = @{}
    if ($AdvertiserId) { $connect.AdvertiserId = $AdvertiserId }
    if ($SecretName) {
        Import-Module Microsoft.PowerShell.SecretManagement
        $connect.AccessToken = Get-Secret -Name $SecretName   # a SecureString
    }
    elseif ($env:OFFLINEEVENTS_ACCESS_TOKEN) {
        # Connect-OfflineEventApi reads OFFLINEEVENTS_ACCESS_TOKEN itself when -AccessToken is not given.
    }
    else {
        throw 'No access token: give -SecretName, or set the OFFLINEEVENTS_ACCESS_TOKEN environment variable for the task.'
    }
    if ($ApiBaseUri) { $connect.ApiBaseUri = $ApiBaseUri }
    Connect-OfflineEventApi @connect

    $send = @{
        Path             = $Path
        EventSetId       = $EventSetId
        JournalPath      = Join-Path $StatePath "$EventSetId.journal"
        RejectPath       = Join-Path $StatePath "rejects-$stamp.csv"
        MaxRejectPercent = $MaxRejectPercent
    }
    if ($DefaultRegion) { $send.DefaultRegion = $DefaultRegion }
    if ($TimeZone) { $send.TimeZone = $TimeZone }
    # Rejected rows are non-terminating errors: collected (their values are masked) rather than failing the run;
    # -MaxRejectPercent decides when there are too many.
    $summary = Send-OfflineEvent @send -ErrorAction Continue -ErrorVariable problems 2>$null
    $summary | Format-List | Out-String | Write-Host
    # An export that could not be read at all (missing, a wildcard matching nothing, refused as not UTF-8) is a
    # non-terminating error too, but unlike a rejected row it means a night's events were not sent: fail the run.
    $unread = @($problems | Where-Object { "$($_.FullyQualifiedErrorId)" -match '^OfflineEvents\.(FileNotFound|Send\.FileRefused|NotAFileSystemPath),' })
    foreach ($e in $unread) {
        Write-Host "FAILED: $(("$($e.FullyQualifiedErrorId)" -split ',')[0]): $($e.Exception.Message)"
    }
    # Send-OfflineEvent writes the reject file only when a row was rejected.
    if (Test-Path -LiteralPath $send.RejectPath) { Write-Host "Rejected rows: $($summary.Rejected) (see $(Split-Path $send.RejectPath -Leaf))." }
    else { Write-Host "Rejected rows: $($summary.Rejected)." }
    if ($unread.Count -eq 0) { $exitCode = 0 }
}
catch {
    Write-Host "FAILED: $($_.FullyQualifiedErrorId): $($_.Exception.Message)"
    if ($_.ErrorDetails.RecommendedAction) { Write-Host "What to do: $($_.ErrorDetails.RecommendedAction)" }
}
finally {
    Stop-Transcript | Out-Null
}
exit $exitCode
