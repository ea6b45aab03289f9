# The module as a whole: manifest, files shipped, help for every cmdlet, dependency isolation.
BeforeDiscovery {
    Import-Module $env:OEPS_TEST_MODULE -ErrorAction Stop
    $script:Cmdlets = @(Get-Command -Module OfflineEvents.PS -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:ModuleFolder = Split-Path $env:OEPS_TEST_MODULE
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Module manifest' {
    It 'passes Test-ModuleManifest and loads on Desktop and Core' {
        $manifest = Test-ModuleManifest $env:OEPS_TEST_MODULE
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.Version | Should -Be (Import-PowerShellDataFile $env:OEPS_TEST_MODULE).ModuleVersion
        $manifest.PowerShellVersion | Should -Be '5.1'
    }

    It 'exports exactly the cmdlets it lists, all with approved verbs' {
        $listed = (Import-PowerShellDataFile $env:OEPS_TEST_MODULE).CmdletsToExport | Sort-Object
        $exported = (Get-Command -Module OfflineEvents.PS -CommandType Cmdlet).Name | Sort-Object
        $exported | Should -Be $listed
        $approved = (Get-Verb).Verb
        foreach ($name in $exported) { $name.Split('-')[0] | Should -BeIn $approved }
    }

    It 'ships third-party DLLs only under dependencies/, and never System.Management.Automation' {
        $rootDlls = Get-ChildItem $script:ModuleFolder -Filter *.dll | ForEach-Object Name
        $rootDlls | Should -Be @('OfflineEvents.PS.dll')
        Get-ChildItem $script:ModuleFolder -Recurse -Filter System.Management.Automation.dll | Should -BeNullOrEmpty
        Join-Path $script:ModuleFolder 'dependencies/Polly.Core.dll' | Should -Exist
        Join-Path $script:ModuleFolder 'dependencies/OfflineEvents.Core.dll' | Should -Exist
    }

    It 'ships the native SQLite of every platform it supports, and no other' {
        $natives = Get-ChildItem (Join-Path $script:ModuleFolder 'dependencies/runtimes') -Recurse -File |
            ForEach-Object { $_.FullName.Substring($script:ModuleFolder.Length + 1).Replace('\', '/') } | Sort-Object
        $natives | Should -Be @(
            'dependencies/runtimes/linux-arm64/native/libe_sqlite3.so', 'dependencies/runtimes/linux-musl-x64/native/libe_sqlite3.so'
            'dependencies/runtimes/linux-x64/native/libe_sqlite3.so', 'dependencies/runtimes/osx-arm64/native/libe_sqlite3.dylib'
            'dependencies/runtimes/osx-x64/native/libe_sqlite3.dylib', 'dependencies/runtimes/win-arm64/native/e_sqlite3.dll'
            'dependencies/runtimes/win-x64/native/e_sqlite3.dll', 'dependencies/runtimes/win-x86/native/e_sqlite3.dll')
    }

    It 'declares [OutputType] on every cmdlet' {
        foreach ($c in Get-Command -Module OfflineEvents.PS -CommandType Cmdlet) {
            $c.ImplementingType.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $false) |
                Should -Not -BeNullOrEmpty -Because "$($c.Name) must declare its output"
        }
    }

    It 'has an about topic that Get-Help finds' {
        $about = Get-Help about_OfflineEvents
        "$about" | Should -Match 'OFFLINEEVENTS_ACCESS_TOKEN'
    }
}

Describe 'Help for <Name>' -ForEach $script:Cmdlets {
    BeforeAll {
        $script:Help = Get-Help $Name -Full
        $script:Command = Get-Command $Name
    }

    It 'has a synopsis and a description' {
        $script:Help.Synopsis | Should -Not -BeNullOrEmpty
        $script:Help.Synopsis | Should -Not -Match "^\s*$Name\s*\["  # the auto-generated fallback is the syntax line
        ($script:Help.Description.Text -join ' ') | Should -Not -BeNullOrEmpty
    }

    It 'documents every parameter' {
        foreach ($p in $script:Command.Parameters.Keys | Where-Object { $_ -notin $script:Common }) {
            $doc = $script:Help.Parameters.Parameter | Where-Object Name -EQ $p
            ($doc.Description.Text -join ' ') | Should -Not -BeNullOrEmpty -Because "-$p needs a description"
        }
    }

    It 'has at least two examples with code and remarks' {
        $examples = @($script:Help.Examples.Example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($e in $examples) {
            $e.Code | Should -Match $Name.Split('-')[1]
            ($e.Remarks.Text -join ' ') | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'Output types' {
    It 'have a default view for every type a cmdlet declares, and no view shows PII columns' {
        Import-TestModule
        $types = Get-Command -Module OfflineEvents.PS -CommandType Cmdlet | ForEach-Object { $_.OutputType.Type } |
            Where-Object { $_ -and $_ -notin [string], [bool], [psobject], [void] } | Sort-Object FullName -Unique
        $types.Count | Should -BeGreaterThan 5
        $format = [xml](Get-Content (Join-Path (Split-Path $env:OEPS_TEST_MODULE) 'OfflineEvents.PS.format.ps1xml') -Raw)
        $viewed = $format.Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName
        foreach ($t in $types) { $viewed | Should -Contain $t.FullName -Because "$($t.Name) needs a format view" }
        # Views name properties; none of them may be a raw PII field.
        $shown = @($format.SelectNodes('//PropertyName') | ForEach-Object InnerText) + @($format.SelectNodes('//ScriptBlock') | ForEach-Object InnerText)
        $shown | Where-Object { $_ -match '(?i)\b(email|phone|SafeFields)\b' } | Should -BeNullOrEmpty
    }

    It 'use the core''s types, with no mirrored copies: ConvertTo-HashedPii -Type and PiiIssue.Field are PiiField' {
        Import-TestModule
        (Get-Command ConvertTo-HashedPii).Parameters['Type'].ParameterType.FullName | Should -Be 'OfflineEvents.Core.Pii.PiiField'
        $null = 'x' | ConvertTo-HashedPii -Type Phone -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].TargetObject.Field.GetType().FullName | Should -Be 'OfflineEvents.Core.Pii.PiiField'
        $errs[0].TargetObject.Field | Should -Be 'Phone'
        (Get-Command Send-OfflineEvent).ImplementingType.Assembly.GetType('OfflineEvents.PS.Output.PiiType') | Should -BeNullOrEmpty
    }
}

Describe 'Dependency isolation' {
    BeforeAll { $script:Sandbox = Start-TestSandbox }
    AfterAll { Stop-TestSandbox $script:Sandbox }

    It 'works in a session that loaded an older Polly.Core first, and leaves that copy in place' {
        $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim() }
        $oldPolly = Join-Path $packages 'polly.core/8.1.0/lib/netstandard2.0/Polly.Core.dll'
        $oldPolly | Should -Exist
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$oldPolly'
Import-Module '$($env:OEPS_TEST_MODULE)'
`$token = ConvertTo-SecureString '$(Get-TestToken)' -AsPlainText -Force
`$set = New-OfflineEventSet -Name isolation -AdvertiserId $(Get-TestAdvertiser) -AccessToken `$token -ApiBaseUri '$($script:Sandbox.Uri)'
'SET:' + `$set.EventSetId
# Every Polly 8.x has assembly version 8.0.0.0, so tell the copies apart by file.
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Polly.Core' } |
    ForEach-Object { 'POLLY:' + [Diagnostics.FileVersionInfo]::GetVersionInfo(`$_.Location).FileVersion + '@' + `$_.Location }
# The Polly that the module's own code is bound to:
`$core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'OfflineEvents.Core' }
`$field = `$core.GetType('OfflineEvents.Core.Api.BusinessApiClient').GetField('_pipeline', [Reflection.BindingFlags]'NonPublic,Instance')
'BOUND:' + [Diagnostics.FileVersionInfo]::GetVersionInfo(`$field.FieldType.Assembly.Location).FileVersion
"@
        $result = Invoke-ChildPwsh -Arguments @('-Command', $script)
        $result.Output | Should -Match 'SET:\d{19}'
        $result.Output | Should -Match 'POLLY:8\.1\.0[.\d]*@.*polly\.core[/\\]8\.1\.0'
        $result.Output | Should -Match ('POLLY:8\.9\.1[.\d]*@' + [regex]::Escape((Join-Path (Split-Path $env:OEPS_TEST_MODULE) 'dependencies')))
        $result.Output | Should -Match 'BOUND:8\.9\.1'
        $result.ExitCode | Should -Be 0
    }

    It 'loads its own native SQLite from dependencies/ when another SQLite and SQLitePCLRaw are loaded first' {
        if (-not $IsLinux) { Set-ItResult -Skipped -Because 'the loaded path is read from /proc/self/maps'; return }
        $packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { ((& dotnet nuget locals global-packages --list) -replace '^global-packages:\s*', '').Trim() }
        # Another build of the native library, restored by tests/TestTools.proj; the managed parts are the module's own versions.
        $otherNative = Join-Path $packages 'sqlitepclraw.lib.e_sqlite3/3.53.3/runtimes/linux-x64/native/libe_sqlite3.so'
        $otherCore = Join-Path $packages 'sqlitepclraw.core/2.1.13/lib/netstandard2.0/SQLitePCLRaw.core.dll'
        $otherProvider = Join-Path $packages 'sqlitepclraw.provider.e_sqlite3/2.1.13/lib/net6.0/SQLitePCLRaw.provider.e_sqlite3.dll'
        $otherNative, $otherCore, $otherProvider | Should -Exist
        $set = (New-OfflineEventSet -Name "native $(New-Guid)" -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri).EventSetId
        $csv = Join-Path $TestDrive 'native.csv'; New-TestEventFile -Path $csv -Rows 3
        $journal = Join-Path $TestDrive 'native.journal'
        $script = @"
`$ErrorActionPreference = 'Stop'
# Another module's SQLite: the same SQLitePCLRaw version in the default load context, and its native library loaded.
`$null = [System.Runtime.InteropServices.NativeLibrary]::Load('$otherNative')
Add-Type -Path '$otherCore'
Add-Type -Path '$otherProvider'
Import-Module '$($env:OEPS_TEST_MODULE)'
`$token = ConvertTo-SecureString '$(Get-TestToken)' -AsPlainText -Force
`$s = Send-OfflineEvent -Path '$csv' -EventSetId $set -JournalPath '$journal' -AdvertiserId $(Get-TestAdvertiser) -AccessToken `$token -ApiBaseUri '$($script:Sandbox.Uri)'
'DELIVERED:' + `$s.Delivered
'RUNS:' + @(Get-OfflineEventDelivery '$journal').Count
Get-Content "/proc/`$PID/maps" | Where-Object { `$_ -match 'e_sqlite3' } | ForEach-Object { 'NATIVE:' + (`$_ -split '\s+')[-1] } | Sort-Object -Unique
"@
        $result = Invoke-ChildPwsh -Arguments @('-Command', $script)
        $result.Output | Should -Match 'DELIVERED:3'
        $result.Output | Should -Match 'RUNS:1'
        $ours = Join-Path (Split-Path $env:OEPS_TEST_MODULE) 'dependencies/runtimes/linux-x64/native/libe_sqlite3.so'
        $result.Output | Should -Match ('NATIVE:' + [regex]::Escape($ours))
        $result.Output | Should -Match ('NATIVE:' + [regex]::Escape($otherNative))
        $result.ExitCode | Should -Be 0
    }
}

Describe 'Source layout' {
    It 'has at most one public type per source file, named as the file' {
        $src = Join-Path $PSScriptRoot '../src'
        $wrong = foreach ($file in Get-ChildItem $src -Recurse -Filter *.cs | Where-Object FullName -NotMatch '[\\/](obj|bin)[\\/]') {
            $types = @([regex]::Matches((Get-Content $file.FullName -Raw), '(?m)^    public (?:(?:sealed|static|abstract|readonly|partial) )*(?:class|struct|interface|enum|record) (\w+)') |
                ForEach-Object { $_.Groups[1].Value })
            if ($types.Count -gt 1 -or ($types.Count -eq 1 -and $types[0] -ne $file.BaseName)) { "$($file.Name): $($types -join ', ')" }
        }
        $wrong | Should -BeNullOrEmpty
    }
}

Describe 'Error ids' {
    BeforeAll {
        $script:About = Get-Content (Join-Path $script:ModuleFolder 'en-US/about_OfflineEvents.help.txt') -Raw
        $assembly = (Get-Command Send-OfflineEvent).ImplementingType.Assembly
        $script:ErrorIds = $assembly.GetType('OfflineEvents.PS.Infrastructure.ErrorIds').GetFields() | ForEach-Object { $_.GetRawConstantValue() }
        $core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'OfflineEvents.Core' } | Select-Object -First 1
        $script:PiiRules = $core.GetType('OfflineEvents.Core.Pii.PiiRules').GetFields() | ForEach-Object { $_.GetRawConstantValue() }
    }

    It 'every id in the cmdlet sources is a named constant in ErrorIds, not a string literal' {
        $sources = Get-ChildItem (Join-Path $PSScriptRoot '../src/OfflineEvents.PS') -Recurse -Filter '*.cs' |
            Where-Object { $_.Name -ne 'ErrorIds.cs' -and $_.FullName -notmatch '[\\/](obj|bin)[\\/]' }
        $sources | Should -Not -BeNullOrEmpty
        # Literals that look like ids ("OfflineEvents.X..."); the module's own assembly names are not ids.
        $literals = foreach ($file in $sources) {
            foreach ($m in [regex]::Matches((Get-Content $file.FullName -Raw), '"(OfflineEvents\.[A-Za-z.]*)"')) {
                if ($m.Groups[1].Value -notin 'OfflineEvents.PS', 'OfflineEvents.Core') { "$($file.Name): $($m.Groups[1].Value)" }
            }
        }
        $literals | Should -BeNullOrEmpty
    }

    It 'every id in ErrorIds is listed in the ERROR IDS table of about_OfflineEvents' {
        $script:ErrorIds.Count | Should -BeGreaterThan 30
        foreach ($id in $script:ErrorIds) {
            # A prefix is listed with the rule that follows it: OfflineEvents.Send.Rejected.<Rule>.
            $entry = if ($id.EndsWith('.')) { "$([regex]::Escape($id))<Rule>" } else { "$([regex]::Escape($id))\s" }
            $script:About | Should -Match "(?m)^\s{8}$entry" -Because "$id must be documented"
        }
    }

    It 'ConvertTo-HashedPii builds its per-value ids from a PII rule id, each listed in about_OfflineEvents' {
        $values = @(
            @{ Type = 'Email'; Value = 'not-an-email' }, @{ Type = 'Phone'; Value = '+1 555' }, @{ Type = 'Phone'; Value = '2133734253' }
            @{ Type = 'Email'; Value = '5d41402abc4b2a76b9719d911017c592' }, @{ Type = 'Email'; Value = "jo$([char]0xFFFD)@example.com" }
        )
        $ids = foreach ($v in $values) {
            $null = $v.Value | ConvertTo-HashedPii -Type $v.Type -ErrorAction SilentlyContinue -ErrorVariable errs
            $errs | ForEach-Object { ($_.FullyQualifiedErrorId -split ',')[0] }
        }
        $prefix = $script:ErrorIds | Where-Object { $_ -eq 'OfflineEvents.Pii.' }
        $prefix | Should -Not -BeNullOrEmpty
        $rules = @($ids | ForEach-Object { $_.Substring($prefix.Length) }) | Sort-Object -Unique
        $rules | Should -Be ($script:PiiRules | Sort-Object)
        foreach ($id in $ids) { $id | Should -BeLike "$prefix*" }
        foreach ($rule in $script:PiiRules) { $script:About | Should -Match "(?m)^\s+$rule\s" -Because "PII rule $rule must be documented" }
    }
}
