<#
.SYNOPSIS
    The nightly run an admin schedules, for build.ps1 Bench: a fresh pwsh imports the module and sends one export
    with a journal. The connection comes from the OFFLINEEVENTS_* environment variables, as in a scheduled task.
    Prints the number of events delivered.
#>
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $EventSetId,
    [Parameter(Mandatory)] [string] $JournalPath
)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
$summary = Send-OfflineEvent -LiteralPath $Path -EventSetId $EventSetId -JournalPath $JournalPath -DefaultRegion US
$summary.Delivered
