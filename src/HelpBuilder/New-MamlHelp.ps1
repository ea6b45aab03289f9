<#
.SYNOPSIS
    Builds MAML help (<dll>-Help.xml) for the module's binary cmdlets from Markdown sources.
.DESCRIPTION
    platyPS is not on the registry, so this is the project's own, smaller generator. The prose comes from
    docs/help/<Cmdlet>.md (sections: SYNOPSIS, DESCRIPTION, EXAMPLES with '### title' + a powershell fence +
    remarks, PARAMETERS with '### -Name' + text, INPUTS, OUTPUTS, NOTES, RELATED LINKS). Syntax, types,
    positions, pipeline input, aliases and defaults come from the loaded cmdlets themselves, so they cannot
    drift. It fails when a cmdlet has no source, or a parameter has no description, or there is no example.
    Run it in a child pwsh: it imports the built module.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourceFolder,
    [Parameter(Mandatory)] [string] $OutputFile
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3

$module = Import-Module $ModulePath -PassThru -Force
$common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

function Read-HelpSource([string] $path) {
    $doc = @{ Sections = @{}; Examples = [System.Collections.Generic.List[object]]::new(); Parameters = @{} }
    $section = $null; $sub = $null; $buffer = [System.Collections.Generic.List[string]]::new()
    $flush = {
        $text = ($buffer -join "`n").Trim()
        if ($section -eq 'EXAMPLES' -and $sub) {
            $m = [regex]::Match($text, '(?s)```(?:powershell)?\s*\n(.*?)\n```\s*(.*)')
            if (-not $m.Success) { throw "${path}: example '$sub' has no ```powershell fence." }
            $doc.Examples.Add([pscustomobject]@{ Title = $sub; Code = $m.Groups[1].Value.Trim(); Remarks = $m.Groups[2].Value.Trim() })
        } elseif ($section -eq 'PARAMETERS' -and $sub) {
            $doc.Parameters[$sub.TrimStart('-')] = $text
        } elseif ($section -and -not $sub -and $text) {
            $doc.Sections[$section] = $text
        } elseif ($section -in 'INPUTS', 'OUTPUTS' -and $sub) {
            $doc.Sections["$section`:$sub"] = $text
        }
        $buffer.Clear()
    }
    $inFence = $false
    foreach ($line in [System.IO.File]::ReadAllLines($path)) {
        if ($line -match '^```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^## (.+)$') { & $flush; $section = $Matches[1].Trim().ToUpperInvariant(); $sub = $null; continue }
        if (-not $inFence -and $line -match '^### (.+)$') { & $flush; $sub = $Matches[1].Trim(); continue }
        if (-not $inFence -and $line -match '^# ') { continue }
        $buffer.Add($line)
    }
    & $flush
    return $doc
}

function Add-Paragraphs([System.Xml.XmlWriter] $w, [string] $text) {
    foreach ($para in ($text -split '\n\s*\n')) {
        $p = ($para -replace '\s*\n\s*', ' ').Trim()
        if ($p) { $w.WriteElementString('maml', 'para', $mamlNs, $p) }
    }
}

$mamlNs = 'http://schemas.microsoft.com/maml/2004/10'
$cmdNs = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
$devNs = 'http://schemas.microsoft.com/maml/dev/2004/10'

function Write-Parameter([System.Xml.XmlWriter] $w, $param, $setParam, [hashtable] $doc, [string] $default) {
    $pipeline = @()
    if ($setParam.ValueFromPipeline) { $pipeline += 'ByValue' }
    if ($setParam.ValueFromPipelineByPropertyName) { $pipeline += 'ByPropertyName' }
    $w.WriteStartElement('command', 'parameter', $cmdNs)
    $w.WriteAttributeString('required', ([string]$setParam.IsMandatory).ToLowerInvariant())
    $w.WriteAttributeString('variableLength', ([string]$param.ParameterType.IsArray).ToLowerInvariant())
    $wild = [bool]($param.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
    $w.WriteAttributeString('globbing', ([string]$wild).ToLowerInvariant())
    $w.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
    $w.WriteAttributeString('position', $(if ($setParam.Position -ge 0) { [string]$setParam.Position } else { 'named' }))
    $w.WriteAttributeString('aliases', $(if ($param.Aliases.Count) { $param.Aliases -join ', ' } else { 'none' }))
    $w.WriteElementString('maml', 'name', $mamlNs, $param.Name)
    $w.WriteStartElement('maml', 'description', $mamlNs); Add-Paragraphs $w $doc.Parameters[$param.Name]; $w.WriteEndElement()
    $typeName = $param.ParameterType.Name
    if ($param.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
        $w.WriteStartElement('command', 'parameterValue', $cmdNs)
        $w.WriteAttributeString('required', 'true'); $w.WriteAttributeString('variableLength', ([string]$param.ParameterType.IsArray).ToLowerInvariant())
        $w.WriteString($typeName); $w.WriteEndElement()
    }
    $w.WriteStartElement('dev', 'type', $devNs); $w.WriteElementString('maml', 'name', $mamlNs, $param.ParameterType.FullName); $w.WriteEndElement()
    $w.WriteElementString('dev', 'defaultValue', $devNs, $(if ($default) { $default } else { 'None' }))
    $w.WriteEndElement()
}

$settings = [System.Xml.XmlWriterSettings]@{ Indent = $true; Encoding = [System.Text.UTF8Encoding]::new($false) }
$null = New-Item -ItemType Directory -Force -Path (Split-Path $OutputFile)
$w = [System.Xml.XmlWriter]::Create($OutputFile, $settings)
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh'); $w.WriteAttributeString('schema', 'maml')
$problems = [System.Collections.Generic.List[string]]::new()

foreach ($cmd in (Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)) {
    $source = Join-Path $SourceFolder "$($cmd.Name).md"
    if (-not (Test-Path $source)) { $problems.Add("$($cmd.Name): no help source $source"); continue }
    $doc = Read-HelpSource $source
    foreach ($key in 'SYNOPSIS', 'DESCRIPTION') { if (-not $doc.Sections[$key]) { $problems.Add("$($cmd.Name): no $key") } }
    if ($doc.Examples.Count -lt 1) { $problems.Add("$($cmd.Name): no example") }
    $params = $cmd.Parameters.Values | Where-Object { $_.Name -notin $common }
    foreach ($p in $params) { if (-not $doc.Parameters[$p.Name]) { $problems.Add("$($cmd.Name): parameter -$($p.Name) is not described") } }
    foreach ($documented in $doc.Parameters.Keys) { if ($documented -notin $params.Name) { $problems.Add("$($cmd.Name): documents -$documented, which it does not have") } }

    # Defaults come from a fresh instance of the cmdlet class.
    $instance = [Activator]::CreateInstance($cmd.ImplementingType)
    $defaults = @{}
    foreach ($p in $params) {
        $value = $cmd.ImplementingType.GetProperty($p.Name).GetValue($instance)
        if ($null -ne $value -and "$value" -ne '' -and $p.ParameterType -ne [System.Management.Automation.SwitchParameter]) { $defaults[$p.Name] = "$value" }
    }

    $w.WriteStartElement('command', 'command', $cmdNs)
    $w.WriteAttributeString('xmlns', 'maml', $null, $mamlNs)
    $w.WriteAttributeString('xmlns', 'dev', $null, $devNs)
    $w.WriteStartElement('command', 'details', $cmdNs)
    $w.WriteElementString('command', 'name', $cmdNs, $cmd.Name)
    $w.WriteElementString('command', 'verb', $cmdNs, $cmd.Verb)
    $w.WriteElementString('command', 'noun', $cmdNs, $cmd.Noun)
    $w.WriteStartElement('maml', 'description', $mamlNs); Add-Paragraphs $w $doc.Sections['SYNOPSIS']; $w.WriteEndElement()
    $w.WriteEndElement()
    $w.WriteStartElement('maml', 'description', $mamlNs); Add-Paragraphs $w $doc.Sections['DESCRIPTION']; $w.WriteEndElement()

    $w.WriteStartElement('command', 'syntax', $cmdNs)
    foreach ($set in $cmd.ParameterSets) {
        $w.WriteStartElement('command', 'syntaxItem', $cmdNs)
        $w.WriteElementString('maml', 'name', $mamlNs, $cmd.Name)
        foreach ($sp in ($set.Parameters | Where-Object { $_.Name -notin $common } | Sort-Object { if ($_.Position -ge 0) { $_.Position } else { 1000 } })) {
            Write-Parameter $w $cmd.Parameters[$sp.Name] $sp $doc $defaults[$sp.Name]
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('command', 'parameters', $cmdNs)
    foreach ($p in ($params | Sort-Object Name)) {
        $first = $cmd.ParameterSets.Parameters | Where-Object Name -EQ $p.Name | Select-Object -First 1
        Write-Parameter $w $p $first $doc $defaults[$p.Name]
    }
    $w.WriteEndElement()

    foreach ($kind in @(@('INPUTS', 'inputTypes', 'inputType'), @('OUTPUTS', 'returnValues', 'returnValue'))) {
        $w.WriteStartElement('command', $kind[1], $cmdNs)
        foreach ($key in ($doc.Sections.Keys | Where-Object { $_ -like "$($kind[0]):*" } | Sort-Object)) {
            $w.WriteStartElement('command', $kind[2], $cmdNs)
            $w.WriteStartElement('dev', 'type', $devNs); $w.WriteElementString('maml', 'name', $mamlNs, $key.Substring($kind[0].Length + 1)); $w.WriteEndElement()
            $w.WriteStartElement('maml', 'description', $mamlNs); Add-Paragraphs $w $doc.Sections[$key]; $w.WriteEndElement()
            $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if ($doc.Sections['NOTES']) {
        $w.WriteStartElement('maml', 'alertSet', $mamlNs); $w.WriteStartElement('maml', 'alert', $mamlNs)
        Add-Paragraphs $w $doc.Sections['NOTES']; $w.WriteEndElement(); $w.WriteEndElement()
    }
    $w.WriteStartElement('command', 'examples', $cmdNs)
    foreach ($ex in $doc.Examples) {
        $w.WriteStartElement('command', 'example', $cmdNs)
        $w.WriteElementString('maml', 'title', $mamlNs, "---------- $($ex.Title) ----------")
        $w.WriteElementString('dev', 'code', $devNs, $ex.Code)
        $w.WriteStartElement('dev', 'remarks', $devNs); Add-Paragraphs $w $ex.Remarks; $w.WriteEndElement()
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteStartElement('command', 'relatedLinks', $cmdNs)
    foreach ($link in (($doc.Sections['RELATED LINKS'] -split '\n') -replace '^\s*[-*]\s*', '' | Where-Object { $_.Trim() })) {
        $w.WriteStartElement('maml', 'navigationLink', $mamlNs)
        $w.WriteElementString('maml', 'linkText', $mamlNs, $link.Trim()); $w.WriteElementString('maml', 'uri', $mamlNs, '')
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
    $w.WriteEndElement()
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()
if ($problems.Count) {
    Remove-Item $OutputFile -ErrorAction SilentlyContinue
    throw "Help is incomplete:`n  " + ($problems -join "`n  ")
}
Write-Host "Help: $OutputFile"
