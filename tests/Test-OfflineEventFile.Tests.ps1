BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    $script:Header = 'event_type,email,phone,timestamp,price,currency,transaction_category,order_id,quantity,product_id,product_category,store_id'
    $script:Recent = [DateTime]::UtcNow.AddDays(-2).ToString('yyyy-MM-ddTHH:mm:ss.fffZ')
    $script:Good = "Complete Payment,jo@example.com,+12133734253,$($script:Recent),19.99,USD,retail,A-1,2,SKU-1,shoes,store_1"

    # Writes a CSV from lines (UTF-8, no BOM) and returns its path.
    function New-Csv([string[]] $Lines, [string] $Name = 'test.csv') {
        $path = Join-Path $TestDrive $Name
        [IO.File]::WriteAllText($path, ($Lines -join "`n") + "`n")
        $path
    }
    # One good row with one column changed.
    function Row([hashtable] $Change) {
        $cols = $script:Header.Split(',')
        $vals = $script:Good.Split(',')
        foreach ($k in $Change.Keys) { $vals[[array]::IndexOf($cols, $k)] = $Change[$k] }
        $vals -join ','
    }
}

Describe 'Test-OfflineEventFile binding and output' {
    It 'a good file is valid, with its row count and no issues' {
        $path = New-Csv @($script:Header, $script:Good, (Row @{ order_id = 'A-2' }))
        $r = Test-OfflineEventFile $path
        $r.PSTypeNames[0] | Should -Be 'OfflineEvents.Core.Files.FileCheckResult'
        $r.IsValid | Should -BeTrue
        $r.Rows | Should -Be 2
        $r.Errors | Should -Be 0
        $r.Issues | Should -BeNullOrEmpty
        $r.Path | Should -Be $path
    }

    It '-Quiet writes only $true or $false' {
        Test-OfflineEventFile (New-Csv @($script:Header, $script:Good)) -Quiet | Should -BeExactly $true
        Test-OfflineEventFile (New-Csv @($script:Header, (Row @{ event_type = 'Nope' })) 'bad.csv') -Quiet | Should -BeExactly $false
    }

    It 'piped rows without a required column get the ColumnMissing issue a file gets, and -Quiet gives $false' {
        $path = New-Csv @('email,phone', 'jo@example.com,+12133734253') 'no-event.csv'
        $file = Test-OfflineEventFile $path
        $pipe = Import-Csv $path | Test-OfflineEventFile
        $pipe.IsValid | Should -BeFalse
        $pipe.Rows | Should -Be 1
        $missing = @($pipe.Issues | Where-Object Rule -EQ 'ColumnMissing')
        $missing.Column | Should -Be @('event_type', 'timestamp')
        ($pipe.Issues | ForEach-Object { "$($_.Rule):$($_.Column):$($_.Message)" }) | Should -Be ($file.Issues | ForEach-Object { "$($_.Rule):$($_.Column):$($_.Message)" })
        Import-Csv $path | Test-OfflineEventFile -Quiet | Should -BeExactly $false
        # A later shape without the columns is reported too, after the rows of a good one.
        $mixed = @([pscustomobject]@{ event_type = 'Purchase'; email = 'jo@example.com'; timestamp = $script:Recent }, [pscustomobject]@{ email = 'al@example.com' }) |
            Test-OfflineEventFile -Quiet
        $mixed | Should -BeExactly $false
    }

    It 'takes wildcards, one result per matching file' {
        $null = New-Csv @($script:Header, $script:Good) 'w1.csv'
        $null = New-Csv @($script:Header, $script:Good) 'w2.csv'
        (Test-OfflineEventFile (Join-Path $TestDrive 'w?.csv')).Count | Should -Be 2
    }

    It 'takes Get-ChildItem output from the pipeline (by PSPath)' {
        $null = New-Csv @($script:Header, $script:Good) '[brackets].csv'
        $r = Get-ChildItem -LiteralPath (Join-Path $TestDrive '[brackets].csv') | Test-OfflineEventFile
        $r.IsValid | Should -BeTrue
    }

    It '-LiteralPath does not expand wildcards' {
        $path = New-Csv @($script:Header, $script:Good) 'lit[1].csv'
        (Test-OfflineEventFile -LiteralPath $path).Rows | Should -Be 1
    }

    It 'takes path strings from the pipeline' {
        $path = New-Csv @($script:Header, $script:Good) 'piped.csv'
        ($path | Test-OfflineEventFile).Rows | Should -Be 1
    }

    It 'a missing path is a non-terminating ObjectNotFound error, and the other paths are still checked' {
        $good = New-Csv @($script:Header, $script:Good) 'exists.csv'
        $out = Test-OfflineEventFile -LiteralPath (Join-Path $TestDrive 'missing.csv'), $good -ErrorVariable errs -ErrorAction SilentlyContinue
        $out.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.FileNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'issues export cleanly to CSV' {
        $path = New-Csv @($script:Header, (Row @{ price = '5¢' }), (Row @{ currency = 'EURO'; order_id = 'A-2' }))
        $issues = Join-Path $TestDrive 'issues.csv'
        (Test-OfflineEventFile $path).Issues | Export-Csv $issues -NoTypeInformation
        $back = Import-Csv $issues
        $back.Rule | Should -Be @('PriceInvalid', 'CurrencyInvalid')
        $back[0].Line | Should -Be 2
        $back[0].Row | Should -Be 1
        $back[0].Column | Should -Be 'price'
        $back[0].Severity | Should -Be 'Error'
    }

    It 'keeps at most -MaxIssuesPerRule issues per rule, with exact counts' {
        $rows = 1..50 | ForEach-Object { Row @{ event_type = 'Nope'; order_id = "A$_" } }
        $r = Test-OfflineEventFile (New-Csv (@($script:Header) + $rows)) -MaxIssuesPerRule 5
        @($r.Issues).Count | Should -Be 5
        $r.RuleCounts['EventTypeUnknown'] | Should -Be 50
        $r.Errors | Should -Be 50
        $r.IssuesTruncated | Should -BeTrue
    }

    It 'formats results and issues as tables without PII' {
        $path = New-Csv @($script:Header, (Row @{ email = 'john.doe@example' }))
        $r = Test-OfflineEventFile $path
        $text = ($r | Format-Table | Out-String -Width 200) + ($r.Issues | Format-Table | Out-String -Width 300)
        $text | Should -Match 'IsValid'
        $text | Should -Match 'EmailInvalid'
        $text | Should -Not -Match 'john\.doe'
    }

    It 'names the row a duplicate repeats by its number, also after a row refused before the rules (-InputObject)' {
        $row = { param($order, $price) [pscustomobject]@{ event_type = 'Purchase'; email = 'jo@example.com'; timestamp = $script:Recent; price = $price; currency = 'USD'; order_id = $order } }
        $r = (& $row 'A-0' @(1, 2)), (& $row 'A-1' '5'), (& $row 'A-1' '5') | Test-OfflineEventFile -DefaultRegion US
        $r.RuleCounts['ValueNotScalar'] | Should -Be 1
        $dup = @($r.Issues | Where-Object Rule -EQ DuplicateEvent)
        $dup.Count | Should -Be 1
        $dup[0].Row | Should -Be 3
        $dup[0].Message | Should -Match '^repeats row 2 \('
    }

    It 'validates -TimeZone and -DefaultRegion up front' {
        { Test-OfflineEventFile (New-Csv @($script:Header, $script:Good)) -TimeZone 'Mars/Olympus' } | Should -Throw -ErrorId 'OfflineEvents.UnknownTimeZone,*'
        { Test-OfflineEventFile (New-Csv @($script:Header, $script:Good)) -DefaultRegion 'Narnia' } | Should -Throw -ErrorId 'OfflineEvents.Pii.UnknownRegion,*'
    }

    It 'tab-completes -TimeZone with IANA names' {
        $line = 'Test-OfflineEventFile x.csv -TimeZone Europe/Lon'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Europe/London'
    }
}

Describe 'Test-OfflineEventFile rule <Rule>' -ForEach @(
    @{ Rule = 'EventTypeMissing'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ event_type = '' })) } }
    @{ Rule = 'EventTypeUnknown'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ event_type = 'Add to Crat' })) }; Message = "did you mean 'Add to Cart'" }
    @{ Rule = 'IdentityMissing'; Severity = 'Warning'; Lines = { @($script:Header, (Row @{ email = ''; phone = '' })) }; Message = 'Unidentified' }
    @{ Rule = 'EmailInvalid'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ email = 'jo@example'; phone = '' })) }; Message = 'j\*\*\*@e\*\*\*' }
    @{ Rule = 'EmailInvalid'; Severity = 'Warning'; Lines = { @($script:Header, (Row @{ email = 'jo@example' })) }; Message = 'j\*\*\*@e\*\*\*.*left out' }
    @{ Rule = 'PhoneInvalid'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ phone = '+1 123 456 7890'; email = '' })) } }
    @{ Rule = 'PhoneInvalid'; Severity = 'Warning'; Lines = { @($script:Header, (Row @{ phone = '+1 123 456 7890' })) }; Message = 'left out' }
    @{ Rule = 'PhoneNeedsRegion'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ phone = '(213) 373-4253'; email = '' })) } }
    @{ Rule = 'PhoneNeedsRegion'; Severity = 'Warning'; Lines = { @($script:Header, (Row @{ phone = '(213) 373-4253' })) }; Message = 'region column' }
    @{ Rule = 'HashNotSha256'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ email = '5d41402abc4b2a76b9719d911017c592'; phone = '' })) } }
    @{ Rule = 'TimestampMissing'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ timestamp = '' })) } }
    @{ Rule = 'TimestampInvalid'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ timestamp = '11/20/2026' })) }; Message = 'ISO-8601' }
    @{ Rule = 'TimestampNoOffset'; Severity = 'Warning'; Lines = { @($script:Header, (Row @{ timestamp = $script:Recent.TrimEnd('Z') })) } }
    @{ Rule = 'TimestampFuture'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ timestamp = [DateTime]::UtcNow.AddDays(3).ToString('yyyy-MM-ddTHH:mm:ssZ') })) } }
    @{ Rule = 'TimestampTooOld'; Severity = 'Warning'; Lines = { @($script:Header, (Row @{ timestamp = [DateTime]::UtcNow.AddDays(-40).ToString('yyyy-MM-ddTHH:mm:ssZ') })) } }
    @{ Rule = 'PriceInvalid'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ price = '"1,234.50"' })) }; Message = 'thousands' }
    @{ Rule = 'CurrencyInvalid'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ currency = 'US$' })) } }
    @{ Rule = 'QuantityInvalid'; Severity = 'Error'; Lines = { @($script:Header, (Row @{ quantity = '1.5' })) } }
    @{ Rule = 'FormulaCell'; Severity = 'Warning'; Lines = { @($script:Header, (Row @{ product_category = '=HYPERLINK("http://x")' })) } }
    @{ Rule = 'DuplicateEvent'; Severity = 'Warning'; Lines = { @($script:Header, $script:Good, $script:Good) }; Message = 'repeats row 1' }
    @{ Rule = 'ColumnMissing'; Severity = 'Error'; Lines = { @('event_type,email,price', 'Purchase,jo@example.com,5') }; Message = 'timestamp' }
    @{ Rule = 'ColumnDuplicate'; Severity = 'Error'; Lines = { @("$($script:Header),email", "$($script:Good),x@y.com") } }
    @{ Rule = 'ColumnUnknown'; Severity = 'Warning'; Lines = { @("$($script:Header),coupon", "$($script:Good),X") } }
    @{ Rule = 'HeaderMissing'; Severity = 'Error'; Lines = { @($script:Good, $script:Good) }; Message = 'looks like data' }
    @{ Rule = 'FieldCount'; Severity = 'Error'; Lines = { @($script:Header, "$($script:Good),extra") }; Message = 'has 13 fields; the header has 12' }
    @{ Rule = 'QuoteUnterminated'; Severity = 'Error'; Lines = { @($script:Header, ($script:Good -replace 'retail', '"retail')) } }
    @{ Rule = 'QuoteMalformed'; Severity = 'Error'; Lines = { @($script:Header, ($script:Good -replace 'retail', 're"tail')) } }
    @{ Rule = 'NoEvents'; Severity = 'Error'; Lines = { @($script:Header) } }
    @{ Rule = 'FileControlCharacters'; Severity = 'Error'; Lines = { @($script:Header, ($script:Good -replace 'retail', "ret`0ail")) }; Message = 'line 2' }
) {
    It "is reported with its severity, line and a specific message" {
        $region = if ($Rule -eq 'PhoneNeedsRegion') { @{} } else { @{ DefaultRegion = 'US' } }
        $r = Test-OfflineEventFile (New-Csv (& $Lines) "$Rule.csv") @region
        $issue = @($r.Issues | Where-Object Rule -EQ $Rule)[0]
        $issue | Should -Not -BeNullOrEmpty -Because "rule $Rule should fire; got: $($r.Issues | Out-String)"
        "$($issue.Severity)" | Should -Be $Severity
        $r.RuleCounts[$Rule] | Should -BeGreaterOrEqual 1
        $r.IsValid | Should -Be ($Severity -eq 'Warning' -and $r.Errors -eq 0)
        if ($Message) { $issue.Message | Should -Match $Message }
    }
}

Describe 'Test-OfflineEventFile on hostile input' {
    BeforeAll {
        # The corpus is generated here, deterministically, rather than committed (one file is 50 MB + 1 byte).
        $script:Corpus = Join-Path $TestDrive 'hostile'
        $null = New-Item -ItemType Directory -Path $script:Corpus
        function Corpus([string] $Name) { Join-Path $script:Corpus $Name }
        $utf8 = [Text.UTF8Encoding]::new($false)

        $random = [Random]::new(42); $bytes = [byte[]]::new(65536); $random.NextBytes($bytes)
        [IO.File]::WriteAllBytes((Corpus 'garbage.csv'), $bytes)
        [IO.File]::WriteAllBytes((Corpus 'empty.csv'), [byte[]]@())
        [IO.File]::WriteAllText((Corpus 'header-only.csv'), "$($script:Header)`n", $utf8)
        [IO.File]::WriteAllText((Corpus 'huge-field.csv'), "$($script:Header)`n" + ('x' * 5MB) + "`n", $utf8)
        [IO.File]::WriteAllText((Corpus 'wide-row.csv'), "$($script:Header)`n" + ((1..10000) -join ',') + "`n", $utf8)
        [IO.File]::WriteAllText((Corpus 'open-quote.csv'), "$($script:Header)`n" + ($script:Good -replace 'retail', '"retail') + "`n" + $script:Good + "`n", $utf8)
        [IO.File]::WriteAllText((Corpus 'utf16.csv'), "$($script:Header)`r`n$($script:Good)`r`n", [Text.UnicodeEncoding]::new($false, $true))
        [IO.File]::WriteAllText((Corpus 'latin1.csv'), "$($script:Header)`n" + ($script:Good -replace 'retail', ('caf' + [char]0xE9)) + "`n", [Text.Encoding]::Latin1)
        [IO.File]::WriteAllText((Corpus 'line-endings.csv'), "$($script:Header)`r`n$($script:Good)`n$(Row @{ order_id = 'B' })`r$(Row @{ order_id = 'C' })`r`n", $utf8)
        [IO.File]::WriteAllText((Corpus 'export.txt'), "$($script:Header)`n$($script:Good)`n", $utf8)
        $null = New-Item -ItemType Directory -Path (Corpus 'folder.csv')
        # 50 MB + 1 byte of valid rows: TikTok's limit is 50 MB.
        $stream = [IO.StreamWriter]::new((Corpus 'over-50mb.csv'), $false, $utf8)
        $stream.Write("$($script:Header)`n")
        $line = "$($script:Good)`n"
        $target = 50MB + 1
        $written = $utf8.GetByteCount("$($script:Header)`n")
        $n = 0
        while ($written + $line.Length * 2 -lt $target) { $stream.Write(($line -replace 'A-1', "A$n")); $written += $utf8.GetByteCount(($line -replace 'A-1', "A$n")); $n++ }
        $last = Row @{ order_id = 'LAST' }
        $stream.Write($last.Substring(0, $last.Length - 7) + ('s' * ($target - $written - $last.Length - 1 + 7)) + "`n")
        $stream.Dispose()
    }

    It '<Name> produces issues (<Rule>) and no exception' -ForEach @(
        @{ Name = 'garbage.csv'; Rule = 'FileEncoding' }
        @{ Name = 'empty.csv'; Rule = 'FileEmpty' }
        @{ Name = 'header-only.csv'; Rule = 'NoEvents' }
        @{ Name = 'huge-field.csv'; Rule = 'RecordTooLarge' }
        @{ Name = 'wide-row.csv'; Rule = 'FieldCount' }
        @{ Name = 'open-quote.csv'; Rule = 'QuoteUnterminated' }
        @{ Name = 'utf16.csv'; Rule = 'FileEncoding' }
        @{ Name = 'latin1.csv'; Rule = 'FileEncoding' }
        @{ Name = 'export.txt'; Rule = 'FileExtension' }
        @{ Name = 'folder.csv'; Rule = 'FileNotFile' }
        @{ Name = 'over-50mb.csv'; Rule = 'FileTooLarge' }
    ) {
        $r = Test-OfflineEventFile -LiteralPath (Corpus $Name) -DefaultRegion US -ErrorAction Stop
        $r.IsValid | Should -BeFalse
        $r.RuleCounts[$Rule] | Should -BeGreaterOrEqual 1 -Because ($r.Issues | Out-String)
    }

    It 'the 50 MB + 1 byte file is exactly one byte over, and its rows are otherwise valid' {
        (Get-Item (Corpus 'over-50mb.csv')).Length | Should -Be (50MB + 1)
        $r = Test-OfflineEventFile -LiteralPath (Corpus 'over-50mb.csv') -DefaultRegion US
        $r.RuleCounts.Keys | Should -Be @('FileTooLarge')
        $r.Rows | Should -BeGreaterThan 300000
    }

    It '-MaxFileSize 10MB applies the older limit' {
        $r = Test-OfflineEventFile -LiteralPath (Corpus 'huge-field.csv') -MaxFileSize 1MB
        $r.RuleCounts['FileTooLarge'] | Should -Be 1
        $r = Test-OfflineEventFile (New-Csv @($script:Header, $script:Good) 'small.csv') -MaxFileSize 10MB
        $r.RuleCounts.ContainsKey('FileTooLarge') | Should -BeFalse
    }

    It 'names the line and column of a non-UTF-8 byte' {
        $issue = (Test-OfflineEventFile -LiteralPath (Corpus 'latin1.csv')).Issues | Where-Object Rule -EQ FileEncoding
        $issue.Line | Should -Be 2
        $issue.Message | Should -Match 'byte 0xE9 at line 2, column \d+ is not UTF-8'
    }

    It 'names the line where an unterminated quote starts' {
        $issue = (Test-OfflineEventFile -LiteralPath (Corpus 'open-quote.csv') -DefaultRegion US).Issues | Where-Object Rule -EQ QuoteUnterminated
        $issue.Line | Should -Be 2
    }

    It 'tolerates mixed CRLF, LF and CR line endings and numbers lines right' {
        $r = Test-OfflineEventFile -LiteralPath (Corpus 'line-endings.csv') -DefaultRegion US
        $r.IsValid | Should -BeTrue
        $r.Rows | Should -Be 3
    }

    It 'reports an unreadable file as an issue' -Skip:($IsLinux -and (id -u) -eq 0) {
        # Skipped as root on Linux, where file permissions do not stop reading.
        $path = New-Csv @($script:Header, $script:Good) 'locked.csv'
        chmod 000 $path
        try { (Test-OfflineEventFile -LiteralPath $path).RuleCounts['FileUnreadable'] | Should -Be 1 }
        finally { chmod 644 $path }
    }
}
