# Files as Excel and POS systems save them: one encoding verdict on every route, -Encoding and -Delimiter.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    function Sha([string] $text) {
        $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($text))
        [Convert]::ToHexString($bytes).ToLowerInvariant()
    }
    # Writes text in an encoding (a code page, or an Encoding whose preamble is written too) and returns the path.
    function New-EncodedFile([string] $Name, [string] $Text, $Encoding) {
        $path = Join-Path $TestDrive $Name
        $enc = if ($Encoding -is [int]) { [System.Text.Encoding]::GetEncoding($Encoding) } else { $Encoding }
        [IO.File]::WriteAllBytes($path, [byte[]]($enc.GetPreamble() + $enc.GetBytes($Text)))
        $path
    }
    function Get-Ledger([string] $Set) { @(Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$Set") | Where-Object { $_ } }
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $t = [DateTimeOffset]::UtcNow.AddHours(-2).ToString('yyyy-MM-ddTHH:mm:ssZ')
    # An ASCII first row, then accented ones: a reader that stops at the first bad byte would already have sent row 1.
    $script:Text = "event_type,email,phone,timestamp,price,currency,order_id`nPurchase,ann@example.com,,$t,20,EUR,O-1`nPurchase,jos$([char]0xE9)@example.com,,$t,20,EUR,O-2`nPurchase,zo$([char]0xEB)@example.com,,$t,20,EUR,O-3`n"
    # As European Excel saves it: semicolons, Windows-1252.
    $script:Semicolons = $script:Text.Replace(',', ';')
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'A source file that is not UTF-8 gets one verdict on every route' -ForEach @(
    @{ Kind = 'Windows-1252'; Encoding = 1252; Says = 'byte 0xE9 at line 3, column 13 is not UTF-8'; Line = 3 }
    @{ Kind = 'UTF-16'; Encoding = [System.Text.UnicodeEncoding]::new($false, $true); Says = 'is UTF-16 LE \(byte order mark\)'; Line = 1 }
) {
    BeforeAll {
        $script:File = New-EncodedFile "$Kind.csv" $script:Text $Encoding
        $script:Issue = (Test-OfflineEventFile -LiteralPath $script:File).Issues | Where-Object Rule -EQ FileEncoding | Select-Object -First 1
    }
    BeforeEach { $script:Set = (New-OfflineEventSet -Name "encoding $(New-Guid)").EventSetId }

    It 'Test-OfflineEventFile: FileEncoding, naming the line, the byte and -Encoding (<Kind>)' {
        $script:Issue.Line | Should -Be $Line
        $script:Issue.Message | Should -Match $Says
        $script:Issue.Message | Should -Match '-Encoding \S+|CSV UTF-8'
        $script:Issue.Message | Should -Match '-Encoding'
    }

    It 'Send-OfflineEvent -Path refuses the whole file with the same verdict; nothing reaches the ledger (<Kind>)' {
        $summary = Send-OfflineEvent -Path $script:File -EventSetId $script:Set -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.FileRefused,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].Exception.Rule | Should -Be 'FileEncoding'
        $errs[0].Exception.Line | Should -Be $Line
        $errs[0].Exception.Message | Should -BeLike "'$($script:File)':*"
        $errs[0].Exception.Message.Contains($script:Issue.Message) | Should -BeTrue -Because $errs[0].Exception.Message
        $summary.Delivered | Should -Be 0
        $summary.Read | Should -Be 0
        Get-Ledger $script:Set | Should -BeNullOrEmpty
        (Get-SandboxStats $script:Sandbox) | Out-Null
    }

    It 'Send-OfflineEvent -WhatIf and Export-OfflineEventFile -InputPath refuse it too, and Export writes no file (<Kind>)' {
        Send-OfflineEvent -Path $script:File -EventSetId $script:Set -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        $errs[0].Exception.Rule | Should -Be 'FileEncoding'
        $out = Join-Path $TestDrive "$Kind-upload.csv"
        $result = Export-OfflineEventFile -InputPath $script:File $out -ErrorVariable errs2 -ErrorAction SilentlyContinue
        $errs2.Count | Should -Be 1
        $errs2[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Export.FileRefused,*'
        $errs2[0].Exception.Rule | Should -Be 'FileEncoding'
        $errs2[0].Exception.Message.Contains($script:Issue.Message) | Should -BeTrue
        $result.Written | Should -Be 0
        Test-Path $out | Should -BeFalse
        Test-Path $script:File | Should -BeTrue
        # An earlier upload file is left as it was, not replaced by a header-only one.
        Set-Content $out 'earlier'
        Export-OfflineEventFile -InputPath $script:File $out -Force -ErrorAction SilentlyContinue | Out-Null
        Get-Content $out | Should -Be 'earlier'
    }
}

Describe 'A Windows-1252 file on the -Path route of Test, Send and Export: one reader, one verdict' {
    BeforeAll { $script:File = New-EncodedFile 'w1252-path.csv' $script:Text 1252 }

    It 'all three name FileEncoding at the same line with the same words; nothing is sent, hashed or written' {
        $set = (New-OfflineEventSet -Name "w1252 $(New-Guid)").EventSetId
        $check = Test-OfflineEventFile -Path $script:File
        $issues = @($check.Issues | Where-Object Rule -EQ FileEncoding)
        $issues.Count | Should -Be 2 -Because 'é on line 3 and ë on line 4'
        $issues.Line | Should -Be @(3, 4)
        $check.Rows | Should -Be 3 -Because 'the check reads on past the bytes it reports'
        $summary = Send-OfflineEvent -Path $script:File -EventSetId $set -ErrorVariable sendErrs -ErrorAction SilentlyContinue
        $out = Join-Path $TestDrive 'w1252-path-upload.csv'
        $export = Export-OfflineEventFile -Path $out -InputPath $script:File -ErrorVariable exportErrs -ErrorAction SilentlyContinue
        @($sendErrs).Count | Should -Be 1
        @($exportErrs).Count | Should -Be 1
        foreach ($e in @($sendErrs[0], $exportErrs[0])) {
            $e.Exception.Rule | Should -Be 'FileEncoding'
            $e.Exception.Line | Should -Be 3
            $e.Exception.Message | Should -BeExactly "'$($script:File)': $($issues[0].Message); nothing was sent from it."
        }
        $summary.Read | Should -Be 0 -Because 'no row of it reached the engine, so none was hashed'
        $export.Read | Should -Be 0
        $export.Written | Should -Be 0
        Get-Ledger $set | Should -BeNullOrEmpty
        Test-Path $out | Should -BeFalse
    }
}

Describe 'Identifiers mis-decoded before they came (pipeline route)' {
    BeforeAll {
        $script:File = New-EncodedFile 'w1252.csv' $script:Text 1252
        # Import-Csv reading a Windows-1252 file as UTF-8 leaves U+FFFD where é and ë were.
        $script:Rows = Import-Csv -LiteralPath $script:File -Encoding utf8
        $script:Rows[1].email | Should -Be "jos$([char]0xFFFD)@example.com"
    }
    BeforeEach {
        $script:Set = (New-OfflineEventSet -Name "misdecoded $(New-Guid)").EventSetId
        # ConvertTo-HashedPii rewrites the objects it is given: each test reads them afresh.
        $script:Rows = Import-Csv -LiteralPath $script:File -Encoding utf8
    }

    It 'ConvertTo-HashedPii never hashes an email, phone or external id holding U+FFFD, and names Import-Csv -Encoding' {
        $out = $script:Rows | ConvertTo-HashedPii -ErrorVariable errs -ErrorAction SilentlyContinue
        $out[0].email | Should -Be (Sha 'ann@example.com')
        $out[1].email | Should -BeExactly ''
        $out[2].email | Should -BeExactly ''
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Pii.TextMisdecoded,*'
        $errs[0].Exception.Message | Should -Match 'Import-Csv -Encoding windows-1252'
        $errs[0].Exception.Message | Should -Match 'Windows PowerShell 5.1: -Encoding Default'
        $errs[0].Exception.Message | Should -Not -Match 'example\.com|jos'
        "+1 213 373 $([char]0xFFFD)253" | ConvertTo-HashedPii -Type Phone -ErrorVariable perr -ErrorAction SilentlyContinue | Should -BeExactly ''
        $perr[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Pii.TextMisdecoded,*'
        "caf$([char]0xFFFD)-42" | ConvertTo-HashedPii -Type ExternalId -ErrorVariable xerr -ErrorAction SilentlyContinue | Should -BeExactly ''
        $xerr[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Pii.TextMisdecoded,*'
    }

    It 'Send-OfflineEvent rejects those rows (-WhatIf and a real send): only the clean row reaches the ledger' {
        $whatIf = $script:Rows | Send-OfflineEvent -EventSetId $script:Set -WhatIf -ErrorAction SilentlyContinue
        $whatIf.Rejected | Should -Be 2
        $summary = $script:Rows | Send-OfflineEvent -EventSetId $script:Set -ErrorVariable errs -ErrorAction SilentlyContinue
        $summary.Delivered | Should -Be 1
        $summary.Rejected | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.Rejected.TextMisdecoded,*'
        $errs[0].Exception.Message | Should -Match 'Import-Csv -Encoding windows-1252'
        $ledger = Get-Ledger $script:Set
        @($ledger).Count | Should -Be 1
        $ledger[0].payload.user.email | Should -Be (Sha 'ann@example.com')
    }

    It 'Export-OfflineEventFile rejects those rows and writes no hash of mis-decoded text' {
        $out = Join-Path $TestDrive 'pipeline-upload.csv'
        $result = $script:Rows | Export-OfflineEventFile $out -Force -ErrorVariable errs -ErrorAction SilentlyContinue
        $result.Written | Should -Be 1
        $result.Rejected | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Export.Rejected.TextMisdecoded,*'
        (Get-Content $out -Raw) | Should -Not -Match (Sha "jos$([char]0xFFFD)@example.com")
    }
}

Describe '-Encoding on the file routes' {
    BeforeAll {
        $script:Utf8 = New-EncodedFile 'utf8.csv' $script:Text ([System.Text.UTF8Encoding]::new($false))
        $script:W1252 = New-EncodedFile 'w1252-read.csv' $script:Text 1252
        $script:Utf16 = New-EncodedFile 'utf16-read.csv' $script:Text ([System.Text.UnicodeEncoding]::new($false, $true))
        $script:Jose = Sha "jos$([char]0xE9)@example.com"
    }
    BeforeEach { $script:Set = (New-OfflineEventSet -Name "encoded $(New-Guid)").EventSetId }

    It 'Test-OfflineEventFile reads a file in the encoding given (<Name>)' -ForEach @(
        @{ Name = 'windows-1252'; File = 'W1252'; Encoding = 'windows-1252' }
        @{ Name = 'latin1'; File = 'W1252'; Encoding = 'latin1' }
        @{ Name = 'code page 1252'; File = 'W1252'; Encoding = 1252 }
        @{ Name = 'an Encoding object'; File = 'W1252'; Encoding = [System.Text.Encoding]::GetEncoding(1252) }
        @{ Name = 'unicode'; File = 'Utf16'; Encoding = 'unicode' }
        @{ Name = 'utf8 (strict, as the default)'; File = 'Utf8'; Encoding = 'utf8' }
    ) {
        $r = Test-OfflineEventFile -LiteralPath (Get-Variable $File -Scope Script -ValueOnly) -Encoding $Encoding
        $r.IsValid | Should -BeTrue -Because ($r.Issues | Out-String)
        $r.Rows | Should -Be 3
    }

    It 'utf8 given explicitly is still strict' {
        (Test-OfflineEventFile -LiteralPath $script:W1252 -Encoding utf8).RuleCounts['FileEncoding'] | Should -BeGreaterThan 0
    }

    It 'Send-OfflineEvent -Encoding windows-1252 sends the accented addresses with the same hashes as the UTF-8 file' {
        $utf8Set = (New-OfflineEventSet -Name "utf8 $(New-Guid)").EventSetId
        (Send-OfflineEvent -Path $script:Utf8 -EventSetId $utf8Set).Delivered | Should -Be 3
        (Send-OfflineEvent -Path $script:W1252 -Encoding windows-1252 -EventSetId $script:Set).Delivered | Should -Be 3
        (Get-ChildItem -LiteralPath $script:Utf16 | Send-OfflineEvent -Encoding unicode -EventSetId $script:Set).Delivered | Should -Be 3
        $sent = (Get-Ledger $script:Set).payload | Where-Object { $_.properties.order_id -eq 'O-2' }
        $fromUtf8 = (Get-Ledger $utf8Set).payload | Where-Object { $_.properties.order_id -eq 'O-2' }
        @($sent.user.email | Select-Object -Unique) | Should -Be @($script:Jose)
        $fromUtf8.user.email | Should -Be $script:Jose
    }

    It 'Export-OfflineEventFile -Encoding latin1 writes the UTF-8 file''s hashes' {
        $out = Join-Path $TestDrive 'latin1-upload.csv'
        (Export-OfflineEventFile -LiteralInputPath $script:W1252 $out -Encoding latin1 -Force).Written | Should -Be 3
        (Import-Csv $out | Where-Object order_id -EQ 'O-2').email | Should -Be $script:Jose
    }

    It 'an encoding this system does not know is a binding error that lists the names' {
        { Test-OfflineEventFile -LiteralPath $script:Utf8 -Encoding 'klingon-7' } | Should -Throw -ErrorId 'ParameterArgumentTransformationError,*'
        try { Test-OfflineEventFile -LiteralPath $script:Utf8 -Encoding 'klingon-7' } catch { $_.Exception.Message | Should -Match 'windows-1252' }
    }
}

Describe '-Delimiter, and a file that looks delimited by another character' {
    BeforeAll {
        $script:Euro = New-EncodedFile 'excel-de.csv' $script:Semicolons 1252
        $script:Tabs = New-EncodedFile 'tabs.csv' $script:Text.Replace(',', "`t") ([System.Text.UTF8Encoding]::new($false))
        $script:Jose = Sha "jos$([char]0xE9)@example.com"
    }
    BeforeEach { $script:Set = (New-OfflineEventSet -Name "delimiter $(New-Guid)").EventSetId }

    It 'Test-OfflineEventFile says once which parameter to add, instead of an error on every row' {
        $r = Test-OfflineEventFile -LiteralPath $script:Euro -Encoding windows-1252
        $r.Errors | Should -Be 1 -Because ($r.Issues | Out-String)
        $r.Issues[0].Rule | Should -Be 'FileDelimiter'
        $r.Issues[0].Line | Should -Be 1
        $r.Issues[0].Message | Should -Match "looks semicolon-delimited: add -Delimiter ';'"
        $r = Test-OfflineEventFile -LiteralPath $script:Euro
        $r.RuleCounts['FileDelimiter'] | Should -Be 1
        @($r.RuleCounts.Keys | Sort-Object) | Should -Be @('FileDelimiter', 'FileEncoding')
        $t = Test-OfflineEventFile -LiteralPath $script:Tabs
        $t.Issues.Message | Should -Match 'looks tab-delimited: add -Delimiter "`t"'
    }

    It 'the European Excel file passes Test-OfflineEventFile -Delimiter ";" -Encoding windows-1252, and tabs with "`t"' {
        $r = Test-OfflineEventFile -LiteralPath $script:Euro -Delimiter ';' -Encoding windows-1252
        $r.IsValid | Should -BeTrue -Because ($r.Issues | Out-String)
        $r.Rows | Should -Be 3
        (Test-OfflineEventFile -LiteralPath $script:Tabs -Delimiter "`t").IsValid | Should -BeTrue
    }

    It 'Send-OfflineEvent without -Delimiter refuses it with the hint; with it, the events and hashes are right' {
        Send-OfflineEvent -Path $script:Euro -Encoding windows-1252 -EventSetId $script:Set -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.FileRefused,*'
        $errs[0].Exception.Rule | Should -Be 'FileDelimiter'
        $errs[0].Exception.Message | Should -Match "add -Delimiter ';'"
        Get-Ledger $script:Set | Should -BeNullOrEmpty
        $summary = Send-OfflineEvent -Path $script:Euro -Delimiter ';' -Encoding windows-1252 -EventSetId $script:Set
        $summary.Delivered | Should -Be 3
        $o2 = (Get-Ledger $script:Set).payload | Where-Object { $_.properties.order_id -eq 'O-2' }
        $o2.user.email | Should -Be $script:Jose
        $o2.properties.value | Should -Be 20
        $o2.properties.currency | Should -Be 'EUR'
    }

    It 'Export-OfflineEventFile without -Delimiter refuses it and writes nothing; with it, writes the UTF-8, comma upload file' {
        $out = Join-Path $TestDrive 'euro-upload.csv'
        Export-OfflineEventFile -InputPath $script:Euro $out -Encoding windows-1252 -ErrorVariable errs -ErrorAction SilentlyContinue | Out-Null
        $errs[0].Exception.Rule | Should -Be 'FileDelimiter'
        Test-Path $out | Should -BeFalse
        (Export-OfflineEventFile -InputPath $script:Euro $out -Delimiter ';' -Encoding windows-1252).Written | Should -Be 3
        (Get-Content $out -TotalCount 1) | Should -Match '^event_type,email,'
        (Import-Csv $out | Where-Object order_id -EQ 'O-2').email | Should -Be $script:Jose
        (Test-OfflineEventFile -LiteralPath $out).IsValid | Should -BeTrue
    }

    It 'a delimiter that cannot separate fields is refused before anything is read' {
        { Test-OfflineEventFile -LiteralPath $script:Tabs -Delimiter '"' } | Should -Throw -ErrorId 'OfflineEvents.InvalidArgument,*'
    }
}
