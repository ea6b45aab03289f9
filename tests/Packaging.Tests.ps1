# The module as a user gets it: the .nupkg from build.ps1 Package, installed with Install-PSResource, and the
# shipped assemblies checked for Windows PowerShell 5.1 (netstandard2.0), the best guard available here.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:Package = $env:OEPS_TEST_PACKAGE
    $script:ModuleFolder = Split-Path $env:OEPS_TEST_MODULE

    # The target framework an assembly was compiled for, and the assemblies it references, read from its metadata.
    function Get-AssemblyTarget([string] $Path) {
        $stream = [IO.File]::OpenRead($Path)
        try {
            $pe = [Reflection.PortableExecutable.PEReader]::new($stream)
            $md = [Reflection.Metadata.PEReaderExtensions]::GetMetadataReader($pe)
            $framework = $null
            foreach ($handle in $md.GetAssemblyDefinition().GetCustomAttributes()) {
                $attribute = $md.GetCustomAttribute($handle)
                $ctor = $md.GetMemberReference([Reflection.Metadata.MemberReferenceHandle]$attribute.Constructor)
                $type = $md.GetTypeReference([Reflection.Metadata.TypeReferenceHandle]$ctor.Parent)
                if ($md.GetString($type.Name) -eq 'TargetFrameworkAttribute') {
                    $blob = $md.GetBlobReader($attribute.Value)
                    $null = $blob.ReadUInt16()   # prolog
                    $framework = $blob.ReadSerializedString()
                }
            }
            $references = foreach ($r in $md.AssemblyReferences) { $md.GetString($md.GetAssemblyReference($r).Name) }
            [pscustomobject]@{ Framework = $framework; References = @($references) }
        }
        finally { $stream.Dispose() }
    }
}

Describe 'The package' {
    It 'is a versioned .nupkg that Install-PSResource installs and a fresh pwsh imports and runs' {
        $script:Package | Should -Exist
        $version = (Import-PowerShellDataFile $env:OEPS_TEST_MODULE).ModuleVersion
        Split-Path -Leaf $script:Package | Should -Be "OfflineEvents.PS.$version.nupkg"
        $userHome = Join-Path $TestDrive 'home'
        $repo = Split-Path $script:Package
        # A child pwsh with its own HOME: the repository registration and the CurrentUser install stay in TestDrive.
        $install = @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name OfflineEventsTest -Uri '$repo' -Trusted
Install-PSResource -Name OfflineEvents.PS -Repository OfflineEventsTest -Scope CurrentUser -TrustRepository
(Get-InstalledPSResource OfflineEvents.PS).InstalledLocation
"@
        $run = Invoke-ChildPwsh -Arguments '-Command', $install -Environment @{ HOME = $userHome; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; PSModulePath = $null }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match ([regex]::Escape($userHome))
        $use = "Import-Module OfflineEvents.PS -ErrorAction Stop; (Get-Module OfflineEvents.PS).ModuleBase; ' ALICE_abc@gmail.com ' | ConvertTo-HashedPii -Type Email"
        $run = Invoke-ChildPwsh -Arguments '-Command', $use -Environment @{ HOME = $userHome; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; PSModulePath = $null }
        $run.ExitCode | Should -Be 0 -Because $run.Output
        $run.Output | Should -Match ([regex]::Escape($userHome))
        $run.Output | Should -Match '848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f'
    }

    # Someone with the packages and no clone: the module installed above, the sandbox as a dotnet tool, the README's
    # walkthrough run with both.
    It 'ships the sandbox as a dotnet tool with which the installed module runs the README walkthrough' {
        $version = (Import-PowerShellDataFile $env:OEPS_TEST_MODULE).ModuleVersion
        $repo = Split-Path $script:Package
        Join-Path $repo "OfflineEvents.Sandbox.$version.nupkg" | Should -Exist
        $tools = Join-Path $TestDrive 'tools'
        $installed = & dotnet tool install OfflineEvents.Sandbox --version $version --tool-path $tools --add-source $repo --ignore-failed-sources 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 0 -Because $installed
        $psi = [Diagnostics.ProcessStartInfo]::new((Join-Path $tools ('offline-events-sandbox' + $(if ($IsWindows) { '.exe' } else { '' }))))
        foreach ($a in '--urls', 'http://127.0.0.1:0') { $psi.ArgumentList.Add($a) }
        $psi.RedirectStandardOutput = $true
        $psi.UseShellExecute = $false
        $sandbox = [Diagnostics.Process]::Start($psi)
        try {
            $line = $sandbox.StandardOutput.ReadLine()
            $line -match 'listening on (http://127\.0\.0\.1:\d+)' | Should -BeTrue -Because $line
            $uri = [uri]$Matches[1]
            $script = Join-Path $TestDrive 'installed-walkthrough.ps1'
            Get-ReadmeWalkthrough -SandboxUri $uri -ImportLine "Import-Module OfflineEvents.PS; 'MODULE ' + (Get-Module OfflineEvents.PS).ModuleBase" | Set-Content $script
            $temp = New-Item -ItemType Directory (Join-Path $TestDrive 'tmp')
            $userHome = Join-Path $TestDrive 'home'
            $run = Invoke-ChildPwsh -Arguments '-File', $script -Environment @{ HOME = $userHome; XDG_DATA_HOME = $null; XDG_CONFIG_HOME = $null; PSModulePath = $null; TMPDIR = "$temp/" }
            $run.ExitCode | Should -Be 0 -Because $run.Output
            $run.Output | Should -Match "MODULE $([regex]::Escape($userHome))"
            $run.Output | Should -Match 'RESULT delivered=13 rejected=3 skipped=13 rejects=3 upload=True orders=3/5'
        }
        finally {
            $sandbox.Kill()
            $sandbox.WaitForExit(5000) | Out-Null
            $sandbox.Dispose()
        }
    }
}

Describe 'Windows PowerShell 5.1 compatibility' {
    It 'passes Test-ModuleManifest and declares Desktop and Core' {
        $manifest = Test-ModuleManifest $env:OEPS_TEST_MODULE
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be ([version]'5.1')
    }

    It 'ships our assemblies built for netstandard2.0, referencing no .NET Core-only assembly' {
        foreach ($name in 'OfflineEvents.PS.dll', 'dependencies/OfflineEvents.Core.dll') {
            $target = Get-AssemblyTarget (Join-Path $script:ModuleFolder $name)
            $target.Framework | Should -Be '.NETStandard,Version=v2.0' -Because $name
            # Compiled against the netstandard2.0 reference assemblies: the facade is 'netstandard', never System.Runtime.
            $target.References | Should -Contain 'netstandard'
            $target.References | Should -Not -Contain 'System.Runtime'
            $target.References | Should -Not -Contain 'System.Private.CoreLib'
        }
    }

    It 'ships third-party assemblies that run on .NET Framework 4.7.2 (netstandard2.0 or netfx builds)' {
        foreach ($dll in Get-ChildItem (Join-Path $script:ModuleFolder 'dependencies') -Filter *.dll) {
            $target = Get-AssemblyTarget $dll.FullName
            if ($target.Framework) {
                $target.Framework | Should -Match '^\.NET(Standard,Version=v2\.0|Framework,Version=v4\.[0-7])' -Because $dll.Name
            }
            $target.References | Should -Not -Contain 'System.Private.CoreLib' -Because $dll.Name
        }
    }

    It 'never ships System.Management.Automation' {
        Get-ChildItem $script:ModuleFolder -Recurse -Filter System.Management.Automation.dll | Should -BeNullOrEmpty
    }
}
