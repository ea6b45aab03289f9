BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    function Sha([string] $text) {
        $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($text))
        [Convert]::ToHexString($bytes).ToLowerInvariant()
    }
    $script:Recent = [DateTimeOffset]::UtcNow.AddHours(-2)
    $script:Header = 'event_type,email,phone,timestamp,price,currency,transaction_category,order_id,quantity,product_id,product_category,store_id'
}

Describe 'Export-OfflineEventFile layout and rules' {
    It 'writes TikTok''s header and order, display names, UTC timestamps, hashes and escaped formulas' {
        $out = Join-Path $TestDrive 'layout.csv'
        $rows = @(
            [pscustomobject]@{ Event = 'AddToCart'; 'Email Address' = ' ALICE_abc@gmail.com '; Phone = '(213) 373-4253'; 'Event Time' = $script:Recent.ToOffset([TimeSpan]::FromHours(-5)).ToString('yyyy-MM-ddTHH:mm:sszzz'); Price = '12.50'; Currency = 'usd'; SKU = '=HYPERLINK("x")'; Coupon = 'ignored' }
        )
        $result = $rows | Export-OfflineEventFile $out -DefaultRegion US
        $result.Files | Should -Be @($out)
        $result.Written | Should -Be 1
        $lines = Get-Content $out
        $lines[0] | Should -BeExactly $script:Header
        $row = Import-Csv $out
        $row.event_type | Should -BeExactly 'Add to Cart'
        $row.email | Should -Be '848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f'
        $row.phone | Should -Be (Sha '+12133734253')
        $row.timestamp | Should -BeExactly $script:Recent.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.000'Z'")
        $row.currency | Should -BeExactly 'USD'
        $row.product_id | Should -BeExactly "'=HYPERLINK(""x"")"
        (Get-Content $out -Raw) | Should -Not -Match 'ignored|alice'
    }

    It 'rejects what the rules call errors, with a reject file, and the output passes Test-OfflineEventFile' {
        $in = Join-Path $TestDrive 'mixed.csv'
        $t = $script:Recent.ToString('yyyy-MM-ddTHH:mm:ssZ')
        @"
event_type,email,phone,timestamp,price,currency,order_id
Purchase,a@example.com,,$t,10,USD,1
Purchase,broken@,,$t,10,USD,2
Purchse,b@example.com,,$t,10,USD,3
Lead,,+44 20 7946 0958,$t,,,4
"@ | Set-Content $in
        $out = Join-Path $TestDrive 'mixed-upload.csv'
        $rejects = Join-Path $TestDrive 'mixed-rejects.csv'
        $result = Export-OfflineEventFile $out -InputPath $in -RejectPath $rejects -ErrorVariable errs -ErrorAction SilentlyContinue
        $result.Written | Should -Be 2
        $result.Rejected | Should -Be 2
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Export.Rejected.EmailInvalid,*'
        (Import-Csv $rejects).rule_id | Should -Be @('EmailInvalid', 'EventTypeUnknown')
        (Get-Content $rejects -Raw) | Should -Not -Match 'broken@|b@example'
        $check = Test-OfflineEventFile $out
        $check.Errors | Should -Be 0
    }

    It 'counts rejects under -ErrorAction Ignore without error records' {
        $in = Join-Path $TestDrive 'ignore.csv'
        "event_type,email,timestamp`nPurchase,ok@example.com,$($script:Recent.ToString('o'))`nPurchase,bad@,$($script:Recent.ToString('o'))" | Set-Content $in
        $before = $Error.Count
        $result = Export-OfflineEventFile (Join-Path $TestDrive 'ignore-upload.csv') -InputPath $in -ErrorAction Ignore
        $result.Written | Should -Be 1
        $result.Rejected | Should -Be 1
        $result.RejectsByRule['EmailInvalid'] | Should -Be 1
        $Error.Count | Should -Be $before
    }

    It 'never replaces files without -Force, and -Force removes stale parts' {
        $out = Join-Path $TestDrive 'force.csv'
        $rows = 1..3 | ForEach-Object { @{ event_type = 'Purchase'; email = "p$_@example.com"; timestamp = $script:Recent.ToString('o') } }
        $null = $rows | Export-OfflineEventFile $out
        { $rows | Export-OfflineEventFile $out } | Should -Throw -ErrorId 'OfflineEvents.Export.OutputExists,*'
        'stale' | Set-Content (Join-Path $TestDrive 'force-part002.csv')
        $result = $rows | Export-OfflineEventFile $out -Force
        $result.Files | Should -Be @($out)
        Test-Path (Join-Path $TestDrive 'force-part002.csv') | Should -BeFalse
    }

    It '-WhatIf writes nothing and says which files would be written' {
        $out = Join-Path $TestDrive 'whatif.csv'
        $result = @{ event_type = 'Purchase'; email = 'w@example.com'; timestamp = $script:Recent.ToString('o') } | Export-OfflineEventFile $out -WhatIf
        $result.WhatIf | Should -BeTrue
        $result.Files | Should -Be @($out)
        Test-Path $out | Should -BeFalse
        Get-ChildItem $TestDrive -Filter 'whatif*' | Should -BeNullOrEmpty
    }

    It 'leaves no temporary file behind when the export fails' {
        $out = Join-Path $TestDrive 'fails.csv'
        { [pscustomobject]@{ event_type = 'Purchase'; email = 'x@example.com'; timestamp = $script:Recent.ToString('o') }, [pscustomobject]@{ name = 'no columns' } |
            Export-OfflineEventFile $out } | Should -Throw -ErrorId 'OfflineEvents.MissingColumns,*'
        Get-ChildItem $TestDrive -Filter 'fails*' | Should -BeNullOrEmpty
    }
}

Describe 'Export-OfflineEventFile splitting' {
    It 'splits a 120 MB input at row boundaries into parts of at most 10,000,000 bytes (the default) that each pass Test-OfflineEventFile' {
        $in = Join-Path $TestDrive 'big.csv'
        New-TestEventFile -Path $in -Rows 1300000
        (Get-Item $in).Length | Should -BeGreaterThan 120MB
        $out = Join-Path $TestDrive 'upload.csv'
        $result = Export-OfflineEventFile $out -LiteralInputPath $in
        $result.Written | Should -Be 1300000
        $result.Files.Count | Should -BeGreaterOrEqual 12
        $result.Files[0] | Should -Be (Join-Path $TestDrive 'upload-part001.csv')
        $total = 0
        foreach ($part in $result.Files) {
            (Get-Item $part).Length | Should -BeLessOrEqual 10000000
            (Get-Content $part -TotalCount 1) | Should -BeExactly $script:Header
            $check = Test-OfflineEventFile -LiteralPath $part
            $check.Errors | Should -Be 0 -Because "$part must upload cleanly"
            $total += $check.Rows
        }
        $total | Should -Be 1300000
    }

    It 'honours -MaxFileSize 10MB' {
        $in = Join-Path $TestDrive 'mid.csv'
        New-TestEventFile -Path $in -Rows 150000
        $result = Get-Item $in | Export-OfflineEventFile (Join-Path $TestDrive 'ten.csv') -MaxFileSize 10MB
        $result.Files.Count | Should -BeGreaterThan 1
        $result.Files | ForEach-Object { (Get-Item $_).Length | Should -BeLessOrEqual 10MB }
        ($result.Files | ForEach-Object { (Test-OfflineEventFile -LiteralPath $_ -MaxFileSize 10MB).Rows } | Measure-Object -Sum).Sum | Should -Be 150000
    }
}

# Issue 16 item 7: -Path is the destination, as for Export-Csv; the files read come through -InputPath,
# -LiteralInputPath or piped Get-ChildItem output.
Describe 'Export-OfflineEventFile -Path is the destination' {
    BeforeAll {
        $script:Sources = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'sources')
        $t = $script:Recent.ToString('yyyy-MM-ddTHH:mm:ssZ')
        Set-Content (Join-Path $script:Sources 'pos-1.csv') "event_type,email,timestamp,order_id`nPurchase,a@example.com,$t,A1`nPurchase,b@example.com,$t,A2"
        Set-Content (Join-Path $script:Sources 'pos-2.csv') "event_type,email,timestamp,order_id`nPurchase,c@example.com,$t,B1"
        $script:One = Join-Path $script:Sources 'pos-1.csv'
    }

    It 'binds like Export-Csv: -Path at position 0 and -LiteralPath name the file to write; -InputPath and -LiteralInputPath (PSPath, LP) the files read' {
        $command = Get-Command Export-OfflineEventFile
        $path = $command.Parameters['Path']
        ($path.ParameterSets.Values | ForEach-Object Position | Sort-Object -Unique) | Should -Be 0
        ($path.ParameterSets.Values | Where-Object IsMandatory) | Should -BeNullOrEmpty
        $path.Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) | Should -BeNullOrEmpty
        $command.Parameters['LiteralPath'].ParameterType | Should -Be ([string])
        $command.Parameters['InputPath'].Attributes.Where({ $_ -is [System.Management.Automation.SupportsWildcardsAttribute] }) | Should -Not -BeNullOrEmpty
        $command.Parameters['LiteralInputPath'].Aliases | Should -Be @('PSPath', 'LP')
        $command.Parameters['LiteralInputPath'].ParameterSets['LiteralInputPath'].ValueFromPipelineByPropertyName | Should -BeTrue
        $command.Parameters.ContainsKey('OutputPath') | Should -BeFalse
    }

    It 'writes -Path from -InputPath with wildcards, and -LiteralPath with brackets from -LiteralInputPath' {
        $out = Join-Path $TestDrive 'dest.csv'
        (Export-OfflineEventFile -Path $out -InputPath (Join-Path $script:Sources 'pos-*.csv')).Written | Should -Be 3
        @(Import-Csv $out).Count | Should -Be 3
        $literal = Join-Path $TestDrive 'store[7].csv'
        (Export-OfflineEventFile -LiteralPath $literal -LiteralInputPath $script:One).Written | Should -Be 2
        Test-Path -LiteralPath $literal | Should -BeTrue
        (Export-OfflineEventFile (Join-Path $TestDrive 'lp.csv') -LP $script:One).Written | Should -Be 2
    }

    It 'reads piped Get-ChildItem output as files' {
        $out = Join-Path $TestDrive 'piped.csv'
        $result = Get-ChildItem $script:Sources -Filter 'pos-*.csv' | Export-OfflineEventFile $out
        $result.Written | Should -Be 3
        (Import-Csv $out).order_id | Sort-Object | Should -Be @('A1', 'A2', 'B1')
    }

    It 'refuses a -Path with wildcards, neither -Path nor -LiteralPath, and both' {
        { Export-OfflineEventFile (Join-Path $TestDrive 'up*.csv') -InputPath $script:One } | Should -Throw -ErrorId 'OfflineEvents.InvalidArgument,*' -ExpectedMessage '*wildcard characters*-LiteralPath*'
        { Export-OfflineEventFile -InputPath $script:One } | Should -Throw -ErrorId 'OfflineEvents.InvalidArgument,*' -ExpectedMessage '*with -Path*or -LiteralPath*'
        { Export-OfflineEventFile (Join-Path $TestDrive 'a.csv') -LiteralPath (Join-Path $TestDrive 'b.csv') -InputPath $script:One } | Should -Throw -ErrorId 'OfflineEvents.InvalidArgument,*' -ExpectedMessage '*not both*'
        Get-ChildItem $TestDrive -Filter '[ab].csv' | Should -BeNullOrEmpty
    }

    It 'still refuses an output that is one of the inputs, on every input route, and leaves the input as it was' {
        $before = Get-FileHash $script:One
        { Export-OfflineEventFile $script:One -InputPath $script:One -Force } | Should -Throw -ErrorId 'OfflineEvents.OutputIsInput,*'
        { Export-OfflineEventFile -LiteralPath $script:One -LiteralInputPath $script:One -Force } | Should -Throw -ErrorId 'OfflineEvents.OutputIsInput,*'
        { Get-ChildItem $script:Sources -Filter 'pos-*.csv' | Export-OfflineEventFile $script:One -Force } | Should -Throw -ErrorId 'OfflineEvents.OutputIsInput,*'
        (Get-FileHash $script:One).Hash | Should -Be $before.Hash
    }

    It '-WhatIf reads the inputs and writes nothing' {
        $out = Join-Path $TestDrive 'whatif.csv'
        $result = Export-OfflineEventFile $out -InputPath (Join-Path $script:Sources 'pos-*.csv') -WhatIf
        $result.Written | Should -Be 3
        $result.Files | Should -Be @($out)
        Test-Path $out | Should -BeFalse
        $null = Get-ChildItem $script:Sources -Filter 'pos-*.csv' | Export-OfflineEventFile -LiteralPath $out -WhatIf
        Test-Path $out | Should -BeFalse
    }
}
