# Shared by the Pester files: a real sandbox process on a free loopback port, and its admin routes.
Set-StrictMode -Version 3

$script:TestToken = 'pester-token-9f4e2c1d7b6a5e3f'
$script:Advertiser = '7000000000000000001'

function Get-TestToken { $script:TestToken }
function Get-TestSecureToken { ConvertTo-SecureString $script:TestToken -AsPlainText -Force }
function Get-TestAdvertiser { $script:Advertiser }

function Import-TestModule {
    if (-not (Get-Module OfflineEvents.PS)) { Import-Module $env:OEPS_TEST_MODULE -ErrorAction Stop }
}

# Runs pwsh in a child process (-NoProfile) the same way whether pwsh is installed or a dotnet tool.
function Invoke-ChildPwsh {
    param([Parameter(Mandatory)] [string[]] $Arguments, [hashtable] $Environment = @{})
    $process = [Environment]::ProcessPath
    $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $saved = @{}
    foreach ($k in $Environment.Keys) { $saved[$k] = [Environment]::GetEnvironmentVariable($k); [Environment]::SetEnvironmentVariable($k, $Environment[$k]) }
    try {
        $output = & $process @prefix -NoProfile -NonInteractive @Arguments 2>&1 | ForEach-Object { "$_" }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output -join "`n") }
    }
    finally {
        foreach ($k in $saved.Keys) { [Environment]::SetEnvironmentVariable($k, $saved[$k]) }
    }
}

function Start-TestSandbox {
    param([string[]] $Setting = @())
    $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($env:OEPS_TEST_SANDBOX, '--urls', 'http://127.0.0.1:0',
            "--Sandbox:Tokens:0=$script:TestToken", "--Sandbox:Advertisers:0=$script:Advertiser",
            '--Sandbox:ExpiredTokens:0=pester-expired-token', '--Sandbox:RateLimitPerSecond=0') + $Setting) {
        $psi.ArgumentList.Add($a)
    }
    $psi.RedirectStandardOutput = $true
    $psi.UseShellExecute = $false
    $process = [Diagnostics.Process]::Start($psi)
    $line = $process.StandardOutput.ReadLine()
    if ($line -notmatch '(http://127\.0\.0\.1:\d+)') { $process.Kill(); throw "The sandbox did not start: $line" }
    [pscustomobject]@{ Process = $process; Uri = [uri]$Matches[1] }
}

function Stop-TestSandbox {
    param([Parameter(Mandatory)] $Sandbox)
    if (-not $Sandbox.Process.HasExited) { $Sandbox.Process.Kill(); $Sandbox.Process.WaitForExit(5000) | Out-Null }
    $Sandbox.Process.Dispose()
}

function Set-SandboxFault {
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [hashtable] $Plan)
    Invoke-RestMethod -Method Post -Uri "$($Sandbox.Uri)sandbox/faults" -Body ($Plan | ConvertTo-Json -Depth 5) -ContentType application/json | Out-Null
}

function Get-SandboxStats {
    param([Parameter(Mandatory)] $Sandbox)
    Invoke-RestMethod -Uri "$($Sandbox.Uri)sandbox/stats"
}

function Reset-Sandbox {
    param([Parameter(Mandatory)] $Sandbox)
    Invoke-RestMethod -Method Post -Uri "$($Sandbox.Uri)sandbox/reset" | Out-Null
}

function Connect-TestSandbox {
    param([Parameter(Mandatory)] $Sandbox, [int] $MaxRetryCount = 2)
    Connect-OfflineEventApi -AdvertiserId $script:Advertiser -AccessToken (Get-TestSecureToken) -ApiBaseUri $Sandbox.Uri `
        -MaxRetryCount $MaxRetryCount -RetryDelaySec 0.01 -TimeoutSec 5
}


function Get-SandboxLedgerId {
    param([Parameter(Mandatory)] $Sandbox, [Parameter(Mandatory)] [string] $EventSetId)
    # -AsHashtable keeps a 200,000-id array cheap to read.
    $json = (Invoke-WebRequest -Uri "$($Sandbox.Uri)sandbox/ledger?event_set_id=$EventSetId&ids_only=true").Content
    , [string[]]($json | ConvertFrom-Json)
}

# One clock for every generated file of a run, so the same rows always get the same timestamps (and event ids).
$script:BaseTime = [DateTimeOffset]::UtcNow

# Writes a valid export of -Rows events (timestamps within the last day), one order per row.
function New-TestEventFile {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [int] $Rows, [int] $Offset = 0)
    $now = $script:BaseTime
    $sb = [System.Text.StringBuilder]::new($Rows * 120)
    [void]$sb.Append("event_type,email,phone,timestamp,price,currency,order_id,quantity,product_id,store_id`n")
    for ($i = $Offset + 1; $i -le $Offset + $Rows; $i++) {
        $time = $now.AddSeconds( - (($i % 80000) + 60)).ToString('yyyy-MM-ddTHH:mm:ssZ')
        $phone = if ($i % 3 -eq 0) { "+1 (213) 373-{0:0000}" -f ($i % 10000) } else { '' }
        [void]$sb.Append("Purchase,Customer$i@Example.com,$phone,$time,12.50,USD,ORD-$i,1,SKU-$($i % 97),store_$($i % 13)`n")
    }
    [System.IO.File]::WriteAllText($Path, $sb.ToString())
}

# Starts pwsh -NoProfile -NonInteractive -Command in the background; the caller waits or kills it.
function Start-ChildPwsh {
    param([Parameter(Mandatory)] [string] $Command, [hashtable] $Environment = @{})
    $process = [Environment]::ProcessPath
    $psi = [Diagnostics.ProcessStartInfo]::new($process)
    if ([IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $psi.ArgumentList.Add($a) }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = $Environment[$k] }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    [Diagnostics.Process]::Start($psi)
}

# The README's walkthrough block as a script: pointed at the given sandbox, importing the module the given way, and
# ending with one RESULT line of what it did.
function Get-ReadmeWalkthrough {
    param([Parameter(Mandatory)] [uri] $SandboxUri, [Parameter(Mandatory)] [string] $ImportLine)
    $readme = Get-Content (Join-Path $PSScriptRoot '../README.md') -Raw
    $blocks = [regex]::Matches($readme, '(?s)```powershell\r?\n(.*?)```') | ForEach-Object { $_.Groups[1].Value }
    $walkthrough = $blocks | Where-Object { $_ -match "\`$sandbox = 'http://127\.0\.0\.1:5080'" } | Select-Object -First 1
    if (-not $walkthrough) { throw 'The README has no walkthrough block that sets $sandbox.' }
    $code = $walkthrough -replace "\`$sandbox = 'http://127\.0\.0\.1:5080'", "`$sandbox = '$SandboxUri'"
    "`$ErrorActionPreference = 'Stop'; $ImportLine`n" + $code + @'

"RESULT delivered=$($summary.Delivered) rejected=$($summary.Rejected) skipped=$($again.Skipped) rejects=$(@(Import-Csv "$state/rejects.csv").Count) upload=$(Test-Path "$state/upload.csv") orders=$($shop.Delivered)/$($shop.DeliveredRows)"
'@
}

Export-ModuleMember -Function *
