<#
.SYNOPSIS
    What an admin would write without the module, for build.ps1 Bench: Import-Csv, trim and lowercase, SHA-256 by
    .NET, Invoke-RestMethod in batches of 1,000. Reads the columns New-TestEventFile writes; no checks, no retries,
    no journal. Prints the number of events sent.
#>
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $EventSetId,
    [Parameter(Mandatory)] [string] $ApiBaseUri,
    [Parameter(Mandatory)] [string] $AccessToken
)
$ErrorActionPreference = 'Stop'
$sha = [System.Security.Cryptography.SHA256]::Create()
function Get-Hash([string] $Value) {
    [Convert]::ToHexString($sha.ComputeHash([Text.Encoding]::UTF8.GetBytes($Value.Trim().ToLowerInvariant()))).ToLowerInvariant()
}
$uri = [uri]::new([uri]$ApiBaseUri, 'open_api/v1.3/event/track/')
$headers = @{ 'Access-Token' = $AccessToken }
$sent = 0
$batch = [System.Collections.Generic.List[object]]::new(1000)
function Send-Batch {
    $body = @{ event_source = 'offline'; event_source_id = $EventSetId; data = $batch } | ConvertTo-Json -Depth 6 -Compress
    $answer = Invoke-RestMethod -Method Post -Uri $uri -Headers $headers -ContentType 'application/json' -Body $body
    if ($answer.code -ne 0) { throw "event/track answered $($answer.code): $($answer.message)" }
    $script:sent += $batch.Count
    $batch.Clear()
}
Import-Csv $Path | ForEach-Object {
    $user = @{}
    if ($_.email) { $user.email = Get-Hash $_.email }
    if ($_.phone) { $user.phone = Get-Hash $_.phone }
    $batch.Add(@{
            event      = $_.event_type
            event_time = [DateTimeOffset]::Parse($_.timestamp, [cultureinfo]::InvariantCulture).ToUnixTimeSeconds()
            event_id   = $_.order_id
            user       = $user
            properties = @{ value = [double]$_.price; currency = $_.currency; order_id = $_.order_id }
        })
    if ($batch.Count -eq 1000) { Send-Batch }
}
if ($batch.Count) { Send-Batch }
$sent
