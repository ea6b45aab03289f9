# Issue 14's "Done when": one verdict per row, whichever cmdlet and whichever route. Every row of the hostile corpus
# (tests/HostileCorpus.psm1) and of the five realistic exports (tests/ExportShapes.psm1, with their documented recipes)
# goes through Test-OfflineEventFile (-Path and -InputObject), ConvertTo-HashedPii (pipeline), Send-OfflineEvent -WhatIf
# (-Path and pipeline, against the sandbox) and Export-OfflineEventFile -WhatIf (-InputPath and pipeline). Asserted:
# - Test -Path, Test -InputObject, Send and Export on both routes: the same rows in error, with the same rule ids;
# - Test's two routes: the same per-row warnings; Send and Export count, per rule, the rows sent or written with a
#   warning that Test gives those rows, and the same Unidentified rows (Send: where there are no orders, whose lines
#   share their identifiers). By design, Test alone warns of DuplicateEvent
#   (Send and Export send a repeat once) and IdentityMissing (they count Unidentified); Send alone of an order's
#   conflicts (Order*, IdentifiersLeftOut over an order's lines); Export does not warn of FormulaCell (it escapes
#   formulas) and alone of IdentifiersLeftOut when the upload file takes one of several values;
# - ConvertTo-HashedPii flags exactly the identifier values Test flags (error or warning), with the same rule id. It
#   applies only the identifier rules (no event type, time or price rules), so only those are compared.
# Rows the file reader refuses (FieldCount: a value split by an unquoted comma) are no rows to Import-Csv, which reads
# them as best it can: they are compared between the file routes only, on the reader's rule (Send and Export refuse such
# a row with that rule alone; Test -Path, on the same reader, also names what the shifted values break, by design:
# RowChecker.Reject checks a FieldCount row's rules besides).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'HostileCorpus.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'ExportShapes.psm1') -Force
    Import-TestModule
    if (-not (Get-Command Send-OfflineEvent -ErrorAction Ignore)) { Import-Module $env:OEPS_TEST_MODULE -Global -ErrorAction Stop }
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $script:Set = (New-OfflineEventSet -Name "verdicts $(New-Guid)").EventSetId

    # The rules ConvertTo-HashedPii applies: those of one identifier value (FieldTooLong only in an identifier column).
    $script:PiiRules = 'EmailInvalid', 'PhoneInvalid', 'PhoneNeedsRegion', 'HashNotSha256', 'TextMisdecoded', 'FieldTooLong'
    $script:ReaderRules = 'FieldCount', 'QuoteUnterminated', 'QuoteMalformed', 'RecordTooLarge'
    $script:OnlyTest = 'DuplicateEvent', 'IdentityMissing'
    $script:NotCounted = @{ Send = @('OrderNotGrouped', 'OrderCurrencyConflict', 'OrderTimeSpread', 'IdentifiersLeftOut'); Export = @('FormulaCell', 'IdentifiersLeftOut') }

    # What one run of each cmdlet says about each row: "row:Error:Rule" (errors), "row:Warning:Rule" (Test's warnings),
    # warning counts per rule (Send, Export), "row:Rule" (ConvertTo-HashedPii's flagged values).
    function Get-CheckVerdict($Result) {
        $issues = @($Result.Issues | Where-Object Row -GT 0)
        $failed = @($issues | Where-Object Severity -EQ 'Error' | ForEach-Object Row | Sort-Object -Unique)
        $warned = @($issues | Where-Object { $_.Severity -eq 'Warning' -and $_.Row -notin $failed -and $_.Rule -notin $script:OnlyTest })
        [pscustomobject]@{
            Errors       = @($issues | Where-Object Severity -EQ 'Error' | ForEach-Object { "$($_.Row):Error:$($_.Rule)" } | Sort-Object -Unique)
            Warnings     = @($issues | Where-Object Severity -EQ 'Warning' | ForEach-Object { "$($_.Row):Warning:$($_.Rule)" } | Sort-Object -Unique)
            # Per rule, the rows without errors (those sent or written) that have the warning.
            WarningRows  = @($warned | Group-Object Rule | ForEach-Object { [pscustomobject]@{ Rule = $_.Name; Rows = @($_.Group | ForEach-Object Row | Sort-Object -Unique).Count } })
            Pii          = @($issues | Where-Object { $_.Rule -in $script:PiiRules -and ($_.Rule -ne 'FieldTooLong' -or $_.Column -in $script:PiiColumns) } |
                    ForEach-Object { "$($_.Row):$($_.Rule)" } | Sort-Object -Unique)
            Rows         = $Result.Rows
            Unidentified = $Result.Unidentified
        }
    }
    # Test's warning counts as one cmdlet keeps them.
    function Get-WarningCount($Check, [string] $Cmdlet) {
        @($Check.WarningRows | Where-Object Rule -NotIn $script:NotCounted[$Cmdlet] | ForEach-Object { "$($_.Rule)=$($_.Rows)" } | Sort-Object)
    }
    function Get-RejectVerdict($Errors, $Summary, [string] $Cmdlet) {
        [pscustomobject]@{
            Errors       = @($Errors | Where-Object { $_.TargetObject -and $_.TargetObject.GetType().Name -eq 'RejectedEvent' } |
                    ForEach-Object { $t = $_.TargetObject; $t.RuleIds | ForEach-Object { "$($t.Row):Error:$_" } } | Sort-Object -Unique)
            Warnings     = @($Summary.WarningsByRule.GetEnumerator() | Where-Object Key -NotIn $script:NotCounted[$Cmdlet] | ForEach-Object { "$($_.Key)=$($_.Value)" } | Sort-Object)
            Read         = $Summary.Read
            Unidentified = $Summary.Unidentified
        }
    }
    # Test -Path's errors as Send and Export give them: of a row the reader refuses, the reader's rule only.
    function Select-ReaderVerdict([string[]] $Verdicts, [long[]] $Refused) {
        @($Verdicts | Where-Object { [long]$_.Split(':')[0] -notin $Refused -or $_.Split(':')[2] -in $script:ReaderRules })
    }
    function Get-HashVerdict($Errors) {
        @($Errors | Where-Object { $_.TargetObject -and $_.TargetObject.GetType().Name -eq 'PiiIssue' } | ForEach-Object { "$($_.TargetObject.Row):$($_.TargetObject.Rule)" } | Sort-Object -Unique)
    }
    # Keeps the verdicts of the rows a route can see (drops the rows in -Except).
    function Select-Row([string[]] $Verdicts, [long[]] $Except) { @($Verdicts | Where-Object { [long]$_.Split(':')[0] -notin $Except }) }

    # Runs one input through every cmdlet and route. $Options: the recipe (row rules); $FileOptions: how to read the file.
    function Invoke-Everywhere([string] $Path, [scriptblock] $Rows, [hashtable] $Options, [hashtable] $FileOptions = @{}) {
        $ErrorActionPreference = 'Continue'
        $quiet = @{ ErrorAction = 'SilentlyContinue'; WarningAction = 'SilentlyContinue' }
        $hashOptions = @{}
        foreach ($k in 'ColumnMap', 'EventTypeMap', 'DefaultRegion') { if ($Options.ContainsKey($k)) { $hashOptions[$k] = $Options[$k] } }
        $upload = Join-Path $TestDrive "upload-$(New-Guid).csv"
        $v = [ordered]@{}
        $v.TestPath = Get-CheckVerdict (Test-OfflineEventFile -LiteralPath $Path @Options @FileOptions -MaxIssuesPerRule 100000)
        $v.TestPipe = Get-CheckVerdict (& $Rows | Test-OfflineEventFile @Options -MaxIssuesPerRule 100000)
        $null = & $Rows | ConvertTo-HashedPii @hashOptions -ErrorVariable hashErrors @quiet
        $v.Hash = Get-HashVerdict $hashErrors
        $s = Send-OfflineEvent -LiteralPath $Path @Options @FileOptions -EventSetId $script:Set -WhatIf -ErrorVariable sendPathErrors @quiet
        $v.SendPath = Get-RejectVerdict $sendPathErrors $s Send
        $s = & $Rows | Send-OfflineEvent @Options -EventSetId $script:Set -WhatIf -ErrorVariable sendPipeErrors @quiet
        $v.SendPipe = Get-RejectVerdict $sendPipeErrors $s Send
        $x = Export-OfflineEventFile $upload -LiteralInputPath $Path @Options @FileOptions -WhatIf -ErrorVariable exportPathErrors @quiet
        $v.ExportPath = Get-RejectVerdict $exportPathErrors $x Export
        $x = & $Rows | Export-OfflineEventFile $upload @Options -WhatIf -ErrorVariable exportPipeErrors @quiet
        $v.ExportPipe = Get-RejectVerdict $exportPipeErrors $x Export
        Test-Path $upload | Should -BeFalse -Because '-WhatIf writes nothing'
        [pscustomobject]$v
    }

    # The corpus: fed as a file and as Import-Csv reads that file.
    $script:Corpus = New-HostileCorpus (Join-Path $TestDrive 'hostile.csv')
    $script:PiiColumns = 'email', 'phone', 'external_id'
    $script:Hostile = Invoke-Everywhere $script:Corpus.Path { Import-Csv -LiteralPath $script:Corpus.Path } @{ DefaultRegion = 'US'; TimeZone = 'Asia/Tokyo' }
    $script:Shifted = @($script:Hostile.TestPath.Errors | Where-Object { $_.Split(':')[2] -in $script:ReaderRules } | ForEach-Object { [long]$_.Split(':')[0] } | Sort-Object -Unique)

    # The corpus ColumnMap.Tests.ps1 had: one row per row rule, built on below with identifier edge cases.
    $script:Recent = [DateTimeOffset]::UtcNow.AddHours(-3).ToString('yyyy-MM-dd HH:mm:ssZ')
    $future = [DateTimeOffset]::UtcNow.AddDays(3).ToString('yyyy-MM-ddTHH:mm:ssZ')
    $noOffset = [DateTime]::UtcNow.AddHours(-4).ToString('yyyy-MM-ddTHH:mm:ss')
    $script:ColumnMapCorpus = @(
        'Event Type,Email Address,Phone,Mobile,Event Time,Price,Currency,Qty,Order ID,Store'
        "Payment,jo@example.com,,,$script:Recent,5,USD,1,O-1,s1"
        "Payment,jo@example,,,$script:Recent,5,USD,1,O-2,s1"
        "Purchse,a@example.com,,,$script:Recent,5,USD,1,O-3,s1"
        "Payment,b@example.com,,,,5,USD,1,O-4,s1"
        "Payment,c@example.com,,,$future,5,USD,1,O-5,s1"
        "Payment,d@example.com,,,$script:Recent,5¢,USD,1,O-6,s1"
        "Payment,e@example.com,,,$script:Recent,5,EURO,1,O-7,s1"
        "Payment,f@example.com,,,$script:Recent,5,USD,1.5,O-8,s1"
        "Payment,g@example.com,,,$script:Recent,5,USD,2.00,O-9,s1"
        "Payment,,,,$script:Recent,5,USD,1,O-10,s1"
        "Payment,,,(213) 373-4253,$script:Recent,5,USD,1,O-11,s1"
        "Payment,,+1 123,,$script:Recent,5,USD,1,O-12,s1"
        "Refund,,,,,,,,O-13,s1"
        "Payment,h@example.com,,,$noOffset,5,USD,1,O-14,=cmd"
    )

    # The recipes as documented (Get-Help Send-OfflineEvent -Examples), as ExportShapes.Tests.ps1 runs them.
    $script:Recipes = Get-ExportRecipe
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'The hostile corpus gets one verdict per row everywhere' {
    It 'has rows in error, rows with warnings, identifier values flagged and rows the reader refuses' {
        $script:Hostile.TestPath.Rows | Should -Be 300
        $script:Hostile.TestPath.Errors.Count | Should -BeGreaterThan 50
        $script:Hostile.TestPath.Warnings.Count | Should -BeGreaterThan 10
        $script:Hostile.Hash.Count | Should -BeGreaterThan 10
        $script:Shifted.Count | Should -BeGreaterThan 10
    }

    It '<Route> rejects the rows Test -Path calls errors, with the same rules' -ForEach @(
        'SendPath', 'ExportPath' | ForEach-Object { @{ Route = $_ } }
    ) {
        $script:Hostile.$Route.Read | Should -Be 300
        $script:Hostile.$Route.Errors | Should -Be (Select-ReaderVerdict $script:Hostile.TestPath.Errors $script:Shifted)
    }

    It '<Route> gives the rows Import-Csv reads the errors Test -Path gives them' -ForEach @(
        'TestPipe', 'SendPipe', 'ExportPipe' | ForEach-Object { @{ Route = $_ } }
    ) {
        (Select-Row $script:Hostile.$Route.Errors $script:Shifted) | Should -Be (Select-Row $script:Hostile.TestPath.Errors $script:Shifted)
    }

    It 'Test -InputObject gives the rows Import-Csv reads the warnings Test -Path gives them' {
        (Select-Row $script:Hostile.TestPipe.Warnings $script:Shifted) | Should -Be (Select-Row $script:Hostile.TestPath.Warnings $script:Shifted)
    }

    It '<Route> counts the per-row warnings and the Unidentified rows Test finds' -ForEach @(
        @{ Route = 'SendPath'; Check = 'TestPath'; Cmdlet = 'Send' }, @{ Route = 'ExportPath'; Check = 'TestPath'; Cmdlet = 'Export' }
        @{ Route = 'SendPipe'; Check = 'TestPipe'; Cmdlet = 'Send' }, @{ Route = 'ExportPipe'; Check = 'TestPipe'; Cmdlet = 'Export' }
    ) {
        $script:Hostile.$Route.Warnings | Should -Be (Get-WarningCount $script:Hostile.$Check $Cmdlet)
        $script:Hostile.$Route.Unidentified | Should -Be $script:Hostile.$Check.Unidentified
    }

    It 'ConvertTo-HashedPii flags the identifier values Test flags, with the same rules' {
        $script:Hostile.Hash | Should -Be $script:Hostile.TestPipe.Pii
        (Select-Row $script:Hostile.Hash $script:Shifted) | Should -Be (Select-Row $script:Hostile.TestPath.Pii $script:Shifted)
    }
}

Describe 'Edge rows get one verdict per row everywhere' {
    It 'Test -InputObject gives piped rows the verdicts Send -WhatIf gives the same rows (moved from ColumnMap.Tests.ps1)' {
        $path = Join-Path $TestDrive 'corpus.csv'
        [IO.File]::WriteAllText($path, ($script:ColumnMapCorpus -join "`n") + "`n")
        $maps = @{ EventTypeMap = @{ Payment = 'Complete Payment'; Refund = $null }; DefaultRegion = 'US' }
        $test = Import-Csv $path | Select-Object * | Test-OfflineEventFile @maps
        $set = (New-OfflineEventSet -Name "verdicts $(New-Guid)").EventSetId
        $summary = Import-Csv $path | Send-OfflineEvent -EventSetId $set -WhatIf @maps -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $testErrors = $test.Issues | Where-Object { $_.Severity -eq 'Error' -and $_.Row -gt 0 } | ForEach-Object { "$($_.Row):$($_.Rule)" } | Sort-Object
        $sendErrors = $errs | Where-Object { $_.TargetObject.GetType().Name -eq 'RejectedEvent' } |
            ForEach-Object { $t = $_.TargetObject; $t.RuleIds | ForEach-Object { "$($t.Row):$_" } } | Sort-Object
        $sendErrors | Should -Be $testErrors
        # Row 10 has no email or phone: Unidentified on both, not an error (identity per key).
        $testErrors.Count | Should -Be 8
        $test.Unidentified | Should -Be 1
        $summary.Unidentified | Should -Be 1
        $test.Errors | Should -Be $testErrors.Count
        $test.Rows | Should -Be 14
        $test.Skipped | Should -Be 1
        $summary.Skipped | Should -Be 1
        $summary.Rejected | Should -Be (@($testErrors | ForEach-Object { $_.Split(':')[0] } | Sort-Object -Unique)).Count
        foreach ($rule in 'TimestampNoOffset', 'FormulaCell') {
            $summary.WarningsByRule[$rule] | Should -Be @($test.Issues | Where-Object Rule -EQ $rule).Count
        }
        $test.Path | Should -Be 'InputObject'
        ($test.Columns | Where-Object Field -EQ phone).Column | Should -Be @('Phone', 'Mobile')
    }

    It 'ColumnMap.Tests.ps1''s corpus, with mis-decoded, withheld, over-long and pre-hashed identifiers in every identifier column' {
        $recent = $script:Recent
        $sha = '848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f'
        $bad = [string][char]0xFFFD
        $path = Join-Path $TestDrive 'edges.csv'
        $lines = @("$($script:ColumnMapCorpus[0]),Customer ID") + @($script:ColumnMapCorpus | Select-Object -Skip 1 | ForEach-Object { "$_," }) + @(
            "Payment,J${bad}rgen@example.com,,,$recent,5,USD,1,O-15,s1,"
            "Payment,k@example.com,+1 213 373 ${bad}253,,$recent,5,USD,1,O-16,s1,"
            "Payment,,+1 213 373 4254,,$recent,5,USD,1,O-17,s1,K${bad}1"
            "Payment,,Anonymous,Withheld,$recent,5,USD,1,O-18,s1,"
            "Payment,l@example.com,Anonymous,,$recent,5,USD,1,O-19,s1,"
            "Payment,$('m' * 320)@example.com,,,$recent,5,USD,1,O-20,s1,"
            "Payment,n@example.com,+1 $('2' * 70),,$recent,5,USD,1,O-21,s1,"
            "Payment,o@example.com,,+1 $('3' * 70),$recent,5,USD,1,O-22,s1,"
            "Payment,p@example.com,,,$recent,5,USD,1,O-23,s1,$('q' * 257)"
            "Payment,$sha,,,$recent,5,USD,1,O-24,s1,"
            "Payment,5d41402abc4b2a76b9719d911017c592,+12133734255,,$recent,5,USD,1,O-25,s1,"
            "Payment,r@example.com,0044 20 7946 0958,,$recent,5,USD,1,O-26,s1,"
        )
        [IO.File]::WriteAllText($path, ($lines -join "`n") + "`n")
        $script:PiiColumns = 'Email Address', 'Phone', 'Mobile', 'Customer ID'
        $options = @{ EventTypeMap = @{ Payment = 'Complete Payment'; Refund = $null }; DefaultRegion = 'US'; ColumnMap = @{ external_id = 'Customer ID' } }
        $v = Invoke-Everywhere $path { Import-Csv -LiteralPath $path }.GetNewClosure() $options
        $v.TestPath.Rows | Should -Be ($lines.Count - 1)
        foreach ($route in 'TestPipe', 'SendPath', 'SendPipe', 'ExportPath', 'ExportPipe') { $v.$route.Errors | Should -Be $v.TestPath.Errors -Because $route }
        $v.TestPipe.Warnings | Should -Be $v.TestPath.Warnings
        foreach ($route in 'SendPath', 'SendPipe', 'ExportPath', 'ExportPipe') {
            $v.$route.Warnings | Should -Be (Get-WarningCount $v.TestPath ($route -replace 'Path$|Pipe$')) -Because $route
            $v.$route.Unidentified | Should -Be $v.TestPath.Unidentified -Because $route
        }
        $v.Hash | Should -Be $v.TestPath.Pii
        # Every identifier rule is in the corpus, in error and as a warning beside a valid identifier.
        foreach ($rule in 'EmailInvalid', 'PhoneInvalid', 'HashNotSha256', 'TextMisdecoded', 'FieldTooLong') { ($v.Hash -match ":$rule$").Count | Should -BeGreaterThan 0 -Because $rule }
    }
}

Describe 'Realistic exports get one verdict per row everywhere' {
    It '<Name>: every cmdlet and route gives each row the verdict Test gives it' -ForEach @(
        @{ Name = 'shopify'; Write = { param($d) New-ShopifyOrdersExport (Join-Path $d 'orders_export.csv') | Out-Null; @{ 'orders_export.csv' = (Join-Path $d 'orders_export.csv') } } }
        @{ Name = 'square'; Write = { param($d) New-SquareItemSalesExport (Join-Path $d 'items.csv') -CustomerPath (Join-Path $d 'customers.csv') | Out-Null; @{ 'items.csv' = (Join-Path $d 'items.csv'); 'customers.csv' = (Join-Path $d 'customers.csv') } } }
        @{ Name = 'salesforce'; Write = { param($d) New-SalesforceLeadsReport (Join-Path $d 'leads.csv') | Out-Null; @{ 'leads.csv' = (Join-Path $d 'leads.csv') } } }
        @{ Name = 'calls'; Write = { param($d) New-CallCenterLog (Join-Path $d 'calls.csv') | Out-Null; @{ 'calls.csv' = (Join-Path $d 'calls.csv') } } }
        @{ Name = 'excel'; Write = { param($d) New-EuropeanExcelExport (Join-Path $d 'kasse.csv') | Out-Null; @{ 'kasse.csv' = (Join-Path $d 'kasse.csv') } } }
    ) {
        $dir = New-Item (Join-Path $TestDrive $Name) -ItemType Directory -Force
        $files = & $Write $dir.FullName
        $recipe = Invoke-ExportRecipe $script:Recipes $Name $files
        $options = $recipe[$Name]
        $fileOptions = if ($Name -eq 'excel') { @{ Delimiter = ';'; Encoding = 'windows-1252' } } else { @{} }
        # Square's rows are a join (calculated properties): its file is the joined rows, as Export-Csv writes them.
        if ($recipe.rows) {
            $path = Join-Path $dir 'joined.csv'
            $recipe.rows | Export-Csv $path
            $rows = { Import-Csv -LiteralPath $path }.GetNewClosure()
        }
        else {
            $path = @($files.Values)[0]
            $rows = { Import-Csv -LiteralPath $path @fileOptions }.GetNewClosure()
        }
        $script:PiiColumns = @((Test-OfflineEventFile -LiteralPath $path @options @fileOptions).Columns | Where-Object Field -In 'email', 'phone', 'external_id' | ForEach-Object Column)
        $v = Invoke-Everywhere $path $rows $options $fileOptions
        $v.TestPath.Rows | Should -BeGreaterThan 9
        $oneLineOrders = @(& $rows | ForEach-Object { $_.($options.ColumnMap.order_id) } | Sort-Object -Unique).Count -eq $v.TestPath.Rows
        foreach ($route in 'TestPipe', 'SendPath', 'SendPipe', 'ExportPath', 'ExportPipe') { $v.$route.Errors | Should -Be $v.TestPath.Errors -Because "$route on $Name" }
        $v.TestPipe.Warnings | Should -Be $v.TestPath.Warnings
        foreach ($route in 'SendPath', 'SendPipe', 'ExportPath', 'ExportPipe') {
            $cmdlet = $route -replace 'Path$|Pipe$'
            $v.$route.Warnings | Should -Be (Get-WarningCount $v.TestPath $cmdlet) -Because "$route on $Name"
            # An order's lines share its identifiers: Send counts as Unidentified the lines of orders without any (by design).
            if ($cmdlet -eq 'Export' -or $oneLineOrders) { $v.$route.Unidentified | Should -Be $v.TestPath.Unidentified -Because "$route on $Name" }
        }
        $v.Hash | Should -Be $v.TestPath.Pii
    }
}
