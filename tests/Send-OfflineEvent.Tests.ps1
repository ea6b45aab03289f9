BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    function Sha([string] $text) {
        $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($text))
        [Convert]::ToHexString($bytes).ToLowerInvariant()
    }
    function Test-AddsUp($s) { $s.Read | Should -Be ($s.Delivered + $s.Skipped + $s.Rejected + $s.NotSent) }
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $script:Recent = [DateTimeOffset]::UtcNow.AddHours(-2).ToString('yyyy-MM-ddTHH:mm:ssZ')
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'Send-OfflineEvent binding routes' {
    BeforeEach {
        $script:Set = (New-OfflineEventSet -Name "send $(New-Guid)").EventSetId
    }

    It 'sends Import-Csv rows, hashing PII and mapping names, times and contents' {
        $csv = Join-Path $TestDrive 'rows.csv'
        @"
event_type,email,phone,timestamp,price,currency,order_id,quantity,product_id,store_id
Add to Cart, ALICE_abc@gmail.com ,(213) 373-4253,$script:Recent,12.50,usd,ORD-1,2,SKU-9,store_7
Purchase,bob@example.com,,$script:Recent,5,EUR,ORD-2,1,SKU-1,store_7
"@ | Set-Content $csv
        $summary = Import-Csv $csv | Send-OfflineEvent -EventSetId $script:Set -DefaultRegion US
        $summary.GetType().FullName | Should -Be 'OfflineEvents.Core.Delivery.DeliverySummary'
        $summary.Delivered | Should -Be 2
        $ledger = Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$script:Set"
        $first = ($ledger | Where-Object { $_.payload.properties.order_id -eq 'ORD-1' }).payload
        $first.event | Should -Be 'AddToCart'
        $first.user.email | Should -Be '848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f'
        $first.user.phone | Should -Be (Sha '+12133734253')
        $first.event_time | Should -Be ([DateTimeOffset]::Parse($script:Recent).ToUnixTimeSeconds())
        # price is the row's total (TikTok's template): value 12.50, the unit price 12.50 / 2.
        $first.properties.value | Should -Be 12.5
        $first.properties.contents[0].price | Should -Be 6.25
        $first.properties.shop_id | Should -Be 'store_7'
        $first.properties.contents[0].content_id | Should -Be 'SKU-9'
    }

    It 'binds hashtables and custom objects under the usual header spellings, with DateTime times' {
        $when = [DateTime]::UtcNow.AddHours(-3)
        $rows = @(
            @{ 'Event Name' = 'Purchase'; 'Email Address' = 'Carol@Example.com'; 'Event Time' = $when; 'Order Number' = 'H-1' }
            [pscustomobject]@{ Event = 'Lead'; 'Phone Number' = '+44 20 7946 0958'; 'Transaction Time' = $when.ToString('o'); SKU = 'X' }
        )
        $summary = $rows | Send-OfflineEvent -EventSetId $script:Set
        $summary.Delivered | Should -Be 2
        $ledger = Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$script:Set"
        ($ledger.payload | Where-Object event -EQ 'Purchase').user.email | Should -Be (Sha 'carol@example.com')
        ($ledger.payload | Where-Object event -EQ 'Purchase').event_time | Should -Be ([DateTimeOffset]::new($when).ToUnixTimeSeconds())
        ($ledger.payload | Where-Object event -EQ 'Lead').user.phone | Should -Be (Sha '+442079460958')
    }

    It 'reads files with -Path (wildcards), -LiteralPath and from Get-ChildItem, with the same event ids as the pipeline' {
        $dir = New-Item -ItemType Directory (Join-Path $TestDrive 'exports')
        New-TestEventFile -Path (Join-Path $dir 'a.csv') -Rows 1500
        New-TestEventFile -Path (Join-Path $dir 'b.csv') -Rows 500 -Offset 1500
        (Send-OfflineEvent -Path (Join-Path $dir '*.csv') -EventSetId $script:Set).Delivered | Should -Be 2000
        $before = (Get-SandboxStats $script:Sandbox).events_deduplicated
        (Send-OfflineEvent -LiteralPath (Join-Path $dir 'a.csv') -EventSetId $script:Set).Delivered | Should -Be 1500
        (Get-ChildItem $dir -Filter b.csv | Send-OfflineEvent -EventSetId $script:Set).Delivered | Should -Be 500
        (Import-Csv (Join-Path $dir 'a.csv') | Send-OfflineEvent -EventSetId $script:Set).Delivered | Should -Be 1500
        # Every resend carried the same event ids, so TikTok (the sandbox) deduplicated all of them.
        (Get-SandboxStats $script:Sandbox).events_deduplicated - $before | Should -Be 3500
        (Get-SandboxLedgerId $script:Sandbox $script:Set).Count | Should -Be 2000
    }

    It 'refuses objects without the required properties with a terminating error' {
        { [pscustomobject]@{ Name = 'x'; Email = 'a@b.com' } | Send-OfflineEvent -EventSetId $script:Set } |
            Should -Throw -ErrorId 'OfflineEvents.MissingColumns,*'
    }

    It 'refuses a file without the required columns, and goes on with the next file' {
        $bad = Join-Path $TestDrive 'bad.csv'; 'name,email' , 'x,a@b.com' | Set-Content $bad
        $good = Join-Path $TestDrive 'good.csv'; New-TestEventFile -Path $good -Rows 3
        $summary = Send-OfflineEvent -LiteralPath $bad, $good -EventSetId $script:Set -ErrorVariable errs -ErrorAction SilentlyContinue
        $summary.Delivered | Should -Be 3
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.FileRefused,*'
        $errs[0].Exception.Message | Should -Match 'event_type'
    }

    It 'reports a missing path as ObjectNotFound' {
        $summary = Send-OfflineEvent -Path (Join-Path $TestDrive 'nope*.csv') -EventSetId $script:Set -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $summary.Read | Should -Be 0
    }
}

Describe 'Send-OfflineEvent on many rows breaking one rule: the first error records per rule, then a count' {
    BeforeAll {
        $script:Set = (New-OfflineEventSet -Name "capped $(New-Guid)").EventSetId
        # Rows breaking EmailInvalid (no phone to fall back on), rows breaking EventTypeUnknown, and good rows, interleaved.
        function New-CappedFile([string] $Path, [int] $BadEmail, [int] $BadEvent, [int] $Good) {
            $lines = [Collections.Generic.List[string]]::new()
            $lines.Add('event_type,email,timestamp,price,currency,order_id')
            $max = [math]::Max($BadEmail, [math]::Max($BadEvent, $Good))
            for ($i = 0; $i -lt $max; $i++) {
                if ($i -lt $BadEmail) { $lines.Add("Purchase,person$i@nowhere,$script:Recent,10,USD,E-$i") }
                if ($i -lt $BadEvent) { $lines.Add("Purchse,good$i@example.com,$script:Recent,10,USD,T-$i") }
                if ($i -lt $Good) { $lines.Add("Purchase,fine$i@example.com,$script:Recent,10,USD,G-$i") }
            }
            $lines | Set-Content $Path
        }
        $script:OneRule = Join-Path $TestDrive 'one-rule.csv'
        New-CappedFile $script:OneRule -BadEmail 250 -BadEvent 0 -Good 10
        $script:TwoRules = Join-Path $TestDrive 'two-rules.csv'
        New-CappedFile $script:TwoRules -BadEmail 250 -BadEvent 120 -Good 10
    }

    It '<Route>: 250 rows breaking one rule give 100 error records and one warning counting the other 150; the reject file and the summary hold all 250' -TestCases @(
        @{ Route = 'Path' }, @{ Route = 'Pipeline' }
    ) {
        $rejects = Join-Path $TestDrive "one-rule-$Route-rejects.csv"
        $common = @{ RejectPath = $rejects; ErrorVariable = 'errs'; WarningVariable = 'warns'; ErrorAction = 'SilentlyContinue'; WarningAction = 'SilentlyContinue' }
        # Not through a function: -ErrorVariable and -WarningVariable set their variables in the caller's scope.
        $summary = if ($Route -eq 'Path') { Send-OfflineEvent -LiteralPath $script:OneRule -EventSetId $script:Set @common }
        else { Import-Csv -LiteralPath $script:OneRule | Send-OfflineEvent -EventSetId $script:Set @common }
        $summary.Delivered | Should -Be 10
        $summary.Rejected | Should -Be 250
        $summary.RejectsByRule['EmailInvalid'] | Should -Be 250
        @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Send.Rejected.EmailInvalid,*').Count | Should -Be 100
        $errs.Count | Should -Be 100
        # The first 100 in input order: the file's first row is its first bad email.
        $errs[0].Exception.Message | Should -Match '\brow 1\b'
        $errs[0].TargetObject.Row | Should -Be 1
        $capped = @($warns | Where-Object { "$_" -like 'EmailInvalid:*' })
        $capped.Count | Should -Be 1
        "$capped" | Should -Match '150 more rejected row\(s\) broke this rule after the first 100'
        "$capped" | Should -Match '250 in all'
        "$capped" | Should -Match ([regex]::Escape($rejects))
        $rows = @(Import-Csv $rejects)
        $rows.Count | Should -Be 250
        @($rows | Where-Object rule_id -EQ 'EmailInvalid').Count | Should -Be 250
        ($rows.order_id | Sort-Object -Unique).Count | Should -Be 250
    }

    It '<Route>: two rules are capped separately' -TestCases @(
        @{ Route = 'Path' }, @{ Route = 'Pipeline' }
    ) {
        $rejects = Join-Path $TestDrive "two-rules-$Route-rejects.csv"
        $common = @{ RejectPath = $rejects; ErrorVariable = 'errs'; WarningVariable = 'warns'; ErrorAction = 'SilentlyContinue'; WarningAction = 'SilentlyContinue' }
        # Not through a function: -ErrorVariable and -WarningVariable set their variables in the caller's scope.
        $summary = if ($Route -eq 'Path') { Send-OfflineEvent -LiteralPath $script:TwoRules -EventSetId $script:Set @common }
        else { Import-Csv -LiteralPath $script:TwoRules | Send-OfflineEvent -EventSetId $script:Set @common }
        $summary.Rejected | Should -Be 370
        $summary.RejectsByRule['EmailInvalid'] | Should -Be 250
        $summary.RejectsByRule['EventTypeUnknown'] | Should -Be 120
        @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Send.Rejected.EmailInvalid,*').Count | Should -Be 100
        @($errs | Where-Object FullyQualifiedErrorId -Like 'OfflineEvents.Send.Rejected.EventTypeUnknown,*').Count | Should -Be 100
        "$(@($warns | Where-Object { "$_" -like 'EmailInvalid:*' }))" | Should -Match '^EmailInvalid: 150 more'
        "$(@($warns | Where-Object { "$_" -like 'EventTypeUnknown:*' }))" | Should -Match '^EventTypeUnknown: 20 more'
        @(Import-Csv $rejects).Count | Should -Be 370
    }

    It 'without -RejectPath, the warning says that -RejectPath keeps them' {
        $summary = Send-OfflineEvent -LiteralPath $script:OneRule -EventSetId $script:Set -ErrorVariable errs -WarningVariable warns -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $summary.RejectsByRule['EmailInvalid'] | Should -Be 250
        $errs.Count | Should -Be 100
        "$(@($warns | Where-Object { "$_" -like 'EmailInvalid:*' }))" | Should -Match '150 more .*-RejectPath keeps every rejected row'
    }

    It 'under -ErrorAction Ignore, writes no error record and no capped warning, and still counts every reject' {
        $before = $Error.Count
        $summary = Send-OfflineEvent -LiteralPath $script:OneRule -EventSetId $script:Set -ErrorAction Ignore -WarningVariable warns -WarningAction SilentlyContinue
        $summary.RejectsByRule['EmailInvalid'] | Should -Be 250
        $Error.Count | Should -Be $before
        @($warns | Where-Object { "$_" -like 'EmailInvalid:*' }).Count | Should -Be 0
    }
}

Describe 'Send-OfflineEvent rejects, reject file, -WhatIf and -PassThru' {
    BeforeAll {
        $script:Set = (New-OfflineEventSet -Name "rejects $(New-Guid)").EventSetId
        $script:Mixed = Join-Path $TestDrive 'mixed.csv'
        @"
event_type,email,phone,timestamp,price,currency,order_id,quantity,product_id,store_id
Purchase,good1@example.com,,$script:Recent,10,USD,R-1,1,S,st
Purchase,secret.person@example,,$script:Recent,10,USD,R-2,1,S,st
Purchase,good3@example.com,,$script:Recent,10,USD,R-3,1,S,st
Purchse,good4@example.com,,$script:Recent,10,USD,R-4,1,S,st
Purchase,good5@example.com,+1 212 555 0000 0000,2021-13-45,1.234,50,USD,R-5,1,S,st
"@ | Set-Content $script:Mixed
    }

    It 'does not send rule errors: one error per row with row, line, rule and masked value' {
        $summary = Send-OfflineEvent -Path $script:Mixed -EventSetId $script:Set -ErrorVariable errs -ErrorAction SilentlyContinue
        $summary.Delivered | Should -Be 2
        $summary.Rejected | Should -Be 3
        Test-AddsUp $summary
        $errs.Count | Should -Be 3
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.Rejected.EmailInvalid,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].Exception.Message | Should -Match 'row 2 \(line 3\)'
        $errs[0].TargetObject.GetType().Name | Should -Be 'RejectedEvent'
        $errs[1].Exception.Message | Should -Match "did you mean"
        ($errs | Out-String) | Should -Not -Match 'secret\.person'
    }

    It 'writes rejects to -RejectPath in the input columns plus source file, line, row, rule and reason, without plaintext PII' {
        $rejects = Join-Path $TestDrive 'rejects.csv'
        $null = Send-OfflineEvent -Path $script:Mixed -EventSetId $script:Set -RejectPath $rejects -ErrorAction SilentlyContinue
        $rows = Import-Csv $rejects
        $rows.Count | Should -Be 3
        ($rows[0].PSObject.Properties.Name -join ',') | Should -Be 'event_type,email,phone,timestamp,price,currency,order_id,quantity,product_id,store_id,source_file,source_line,source_row,rule_id,reason'
        $rows.source_row | Should -Be @('2', '4', '5')
        $rows[0].rule_id | Should -Be 'EmailInvalid'
        $rows[1].email | Should -Be (Sha 'good4@example.com')
        Get-Content $rejects -Raw | Should -Not -Match 'secret\.person|good4@'
        Get-ChildItem $TestDrive -Filter 'rejects.csv.tmp*' | Should -BeNullOrEmpty
    }

    It 'counts rejects under -ErrorAction Ignore without error records, and still writes them to -RejectPath' {
        $before = $Error.Count
        $summary = Send-OfflineEvent -Path $script:Mixed -EventSetId $script:Set -ErrorAction Ignore
        $summary.Rejected | Should -Be 3
        $summary.RejectsByRule['EmailInvalid'] | Should -Be 1
        $Error.Count | Should -Be $before
        $rejects = Join-Path $TestDrive 'ignored-rejects.csv'
        $null = Send-OfflineEvent -Path $script:Mixed -EventSetId $script:Set -ErrorAction Ignore -RejectPath $rejects
        @(Import-Csv $rejects).Count | Should -Be 3
    }

    It '-WhatIf sends nothing, writes no journal or reject file, and still reports rejects' {
        $before = (Get-SandboxStats $script:Sandbox).track_requests
        $journal = Join-Path $TestDrive 'whatif.journal'
        $rejects = Join-Path $TestDrive 'whatif-rejects.csv'
        $summary = Send-OfflineEvent -Path $script:Mixed -EventSetId $script:Set -JournalPath $journal -RejectPath $rejects -WhatIf -ErrorVariable errs -ErrorAction SilentlyContinue
        (Get-SandboxStats $script:Sandbox).track_requests | Should -Be $before
        $summary.WhatIf | Should -BeTrue
        $summary.NotSent | Should -Be 2
        $summary.Delivered | Should -Be 0
        $errs.Count | Should -Be 3
        Test-Path $journal | Should -BeFalse
        Test-Path $rejects | Should -BeFalse
    }

    It '-WhatIf needs no connection' {
        $child = Invoke-ChildPwsh -Arguments '-Command', "Import-Module '$env:OEPS_TEST_MODULE'; (Send-OfflineEvent -Path '$script:Mixed' -EventSetId 1 -WhatIf -ErrorAction SilentlyContinue).NotSent"
        $child.Output | Should -Match 'What if: .*Send batch 1: 2 events'
        $child.Output | Should -Match '(?m)^2$'
        $child.Output | Should -Match 'Not connected: -WhatIf did not check that event set 1 exists'
    }

    It '-WhatIf checks that the event set exists with one read call, and sends nothing' {
        $before = Get-SandboxStats $script:Sandbox
        $summary = Send-OfflineEvent -Path $script:Mixed -EventSetId $script:Set -WhatIf -ErrorAction SilentlyContinue
        $after = Get-SandboxStats $script:Sandbox
        $summary.WhatIf | Should -BeTrue
        $after.track_requests - $before.track_requests | Should -Be 0
        $after.requests - $before.requests | Should -Be 1   # offline/get
    }

    It '-WhatIf on a missing event set fails with the id Get-OfflineEventSet uses, before anything else' {
        $missing = '7399999999999999999'
        $null = Get-OfflineEventSet -EventSetId $missing -ErrorAction SilentlyContinue -ErrorVariable getErr
        $getId = ($getErr[0].FullyQualifiedErrorId -split ',')[0]
        $getId | Should -Be 'OfflineEvents.EventSetNotFound'
        $before = Get-SandboxStats $script:Sandbox
        $journal = Join-Path $TestDrive 'whatif-missing.journal'
        { Send-OfflineEvent -Path $script:Mixed -EventSetId $missing -JournalPath $journal -WhatIf -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId "$getId,*" -ExpectedMessage "*$missing*"
        $after = Get-SandboxStats $script:Sandbox
        $after.track_requests - $before.track_requests | Should -Be 0
        Test-Path $journal | Should -BeFalse
    }

    It 'a send to a missing event set fails with the id Get-OfflineEventSet uses, not as an invalid request' {
        $missing = '7399999999999999998'
        $before = Get-SandboxStats $script:Sandbox
        $err = $null
        try { $null = Send-OfflineEvent -Path $script:Mixed -EventSetId $missing -ErrorAction SilentlyContinue } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.EventSetNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.TargetObject | Should -Be $missing
        "$err" | Should -BeLike "*$missing*"
        $after = Get-SandboxStats $script:Sandbox
        $after.track_requests - $before.track_requests | Should -Be 1   # refused as a whole: no halving
    }

    It '-WhatIf names the batches in order' {
        # Batches are prepared and sent concurrently; what -WhatIf (and -Confirm) shows must still go 1, 2, 3, ...
        $file = Join-Path $TestDrive 'whatif-order.csv'; New-TestEventFile -Path $file -Rows 3000
        $child = Invoke-ChildPwsh -Arguments '-Command', "Import-Module '$env:OEPS_TEST_MODULE'; `$null = Send-OfflineEvent -Path '$file' -EventSetId 1 -BatchSize 10 -WhatIf"
        $numbers = [regex]::Matches($child.Output, 'Send batch (\d+):') | ForEach-Object { [int]$_.Groups[1].Value }
        $numbers.Count | Should -Be 300
        ($numbers -join ',') | Should -Be ((1..300) -join ',')
    }

    It '-PassThru adds a result per batch with TikTok''s request ids' {
        $file = Join-Path $TestDrive 'passthru.csv'; New-TestEventFile -Path $file -Rows 250
        $out = Send-OfflineEvent -Path $file -EventSetId $script:Set -BatchSize 100 -PassThru
        $batches = $out | Where-Object { $_.GetType().Name -eq 'BatchResult' }
        $batches.Count | Should -Be 3
        ($batches | Measure-Object Delivered -Sum).Sum | Should -Be 250
        $batches[0].RequestIds[0] | Should -Not -BeNullOrEmpty
        @($out | Where-Object { $_.GetType().Name -eq 'DeliverySummary' }).Count | Should -Be 1
    }

    It '-MaxRejectPercent turns a bad file into a terminating error after the summary' {
        $err = $null
        try { Send-OfflineEvent -Path $script:Mixed -EventSetId $script:Set -MaxRejectPercent 10 -ErrorAction SilentlyContinue | Out-Null }
        catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.TooManyRejects,*'
        $err.Exception.Message | Should -Match '60 %'
    }
}

Describe 'Send-OfflineEvent journal, failures and secrets' {
    BeforeEach {
        $script:Set = (New-OfflineEventSet -Name "journal $(New-Guid)").EventSetId
    }
    AfterEach {
        Invoke-RestMethod -Method Delete "$($script:Sandbox.Uri)sandbox/faults" | Out-Null
    }

    It 'reruns send only what is new' {
        $file = Join-Path $TestDrive 'j.csv'; New-TestEventFile -Path $file -Rows 1200
        $journal = Join-Path $TestDrive "run-$(New-Guid).journal"
        (Send-OfflineEvent -Path $file -EventSetId $script:Set -JournalPath $journal).Delivered | Should -Be 1200
        $again = Send-OfflineEvent -Path $file -EventSetId $script:Set -JournalPath $journal
        $again.Delivered | Should -Be 0
        $again.Skipped | Should -Be 1200
        New-TestEventFile -Path $file -Rows 1300
        (Send-OfflineEvent -Path $file -EventSetId $script:Set -JournalPath $journal).Delivered | Should -Be 100
        (Get-SandboxLedgerId $script:Sandbox $script:Set).Count | Should -Be 1300
    }

    It 'ends the run with an authentication error for a bad token' {
        $file = Join-Path $TestDrive 'auth.csv'; New-TestEventFile -Path $file -Rows 5
        $bad = ConvertTo-SecureString 'not-a-valid-token' -AsPlainText -Force
        { Send-OfflineEvent -Path $file -EventSetId $script:Set -AccessToken $bad -ErrorAction SilentlyContinue } |
            Should -Throw -ErrorId 'OfflineEvents.AuthenticationFailed,*'
    }

    It 'opens the circuit during a sustained outage, with a terminating error' {
        Set-SandboxFault $script:Sandbox @{ RandomRate = 1.0; RandomPath = 'event/track'; RandomFaults = @(@{ Kind = 'Http'; Status = 503 }) }
        $file = Join-Path $TestDrive 'outage.csv'; New-TestEventFile -Path $file -Rows 20
        $err = $null
        try { Send-OfflineEvent -Path $file -EventSetId $script:Set -FailedBatchPauseSec 0 -WarningAction SilentlyContinue | Out-Null } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Send.CircuitOpen,*'
        $err.ErrorDetails.Message | Should -Match 'not sent: 20'
        (Get-SandboxLedgerId $script:Sandbox $script:Set).Count | Should -Be 0
    }

    It 'leaks neither the token nor plaintext PII into any stream, the journal or the reject file' {
        $csv = Join-Path $TestDrive 'pii.csv'
        @"
event_type,email,phone,timestamp,order_id
Purchase,leaky.person@example.com,(213) 373-4253,$script:Recent,P-1
Purchase,leaky.broken@,,$script:Recent,P-2
"@ | Set-Content $csv
        $journal = Join-Path $TestDrive 'pii.journal'
        $rejects = Join-Path $TestDrive 'pii-rejects.csv'
        Set-SandboxFault $script:Sandbox @{ Rules = @(@{ Kind = 'Api'; Code = 50000; Times = 1; Path = 'event/track' }) }
        $all = & { Import-Csv $csv | Send-OfflineEvent -EventSetId $script:Set -DefaultRegion US -JournalPath $journal -RejectPath $rejects -PassThru -Verbose -Debug -ErrorAction Continue } *>&1 | Out-String
        $all += Get-Content $journal -Raw
        $all += Get-Content $rejects -Raw
        $all | Should -Match 'Retry'
        $all | Should -Not -Match ([regex]::Escape((Get-TestToken)))
        $all | Should -Not -Match 'leaky'
        $all | Should -Not -Match '373-4253|2133734253'
    }
}

Describe 'Send-OfflineEvent under faults and crashes' {
    It 'delivers 200,000 events exactly once through 20% injected faults' {
        $set = (New-OfflineEventSet -Name "soak $(New-Guid)").EventSetId
        $file = Join-Path $TestDrive 'soak.csv'; New-TestEventFile -Path $file -Rows 200000
        Set-SandboxFault $script:Sandbox @{ RandomRate = 0.2; RandomPath = 'event/track'; Seed = 7; RandomFaults = @(
                @{ Kind = 'Api'; Code = 40100 }, @{ Kind = 'Api'; Code = 50000 }, @{ Kind = 'Http'; Status = 503 },
                @{ Kind = 'Delay'; DelayMs = 1500 }, @{ Kind = 'Reset' }) }
        $before = Get-SandboxStats $script:Sandbox
        try {
            Connect-OfflineEventApi -AdvertiserId (Get-TestAdvertiser) -AccessToken (Get-TestSecureToken) -ApiBaseUri $script:Sandbox.Uri `
                -MaxRetryCount 10 -RetryDelaySec 0.01 -TimeoutSec 1
            $summary = Send-OfflineEvent -Path $file -EventSetId $set -MaxRequestsPerSecond 0 -WarningAction SilentlyContinue
        }
        finally {
            Invoke-RestMethod -Method Delete "$($script:Sandbox.Uri)sandbox/faults" | Out-Null
            Connect-TestSandbox $script:Sandbox
        }
        $after = Get-SandboxStats $script:Sandbox
        $summary.Delivered | Should -Be 200000
        $summary.Rejected + $summary.NotSent | Should -Be 0
        $summary.Retries | Should -BeGreaterThan 20
        $after.faults_injected - $before.faults_injected | Should -BeGreaterThan 20
        $ids = Get-SandboxLedgerId $script:Sandbox $set
        $ids.Count | Should -Be 200000
        ([System.Collections.Generic.HashSet[string]]::new($ids)).Count | Should -Be 200000
        $after.events_accepted - $before.events_accepted | Should -Be 200000
    }

    It 'loses nothing when the sending process is killed five times at random moments' {
        $set = (New-OfflineEventSet -Name "crash $(New-Guid)").EventSetId
        $file = Join-Path $TestDrive 'crash.csv'; New-TestEventFile -Path $file -Rows 30000
        $journal = Join-Path $TestDrive 'crash.journal'
        $env = @{
            OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser; OFFLINEEVENTS_ACCESS_TOKEN = Get-TestToken; OFFLINEEVENTS_API_URI = "$($script:Sandbox.Uri)"
        }
        $command = "Import-Module '$env:OEPS_TEST_MODULE'; Send-OfflineEvent -Path '$file' -EventSetId $set -JournalPath '$journal' -BatchSize 100 -MaxRequestsPerSecond 40 -WarningAction SilentlyContinue | Out-Null"
        $random = [Random]::new(11)
        for ($kill = 1; $kill -le 5; $kill++) {
            # The journal is a database now (its size says little): progress is what the sandbox has received.
            $startCount = (Get-SandboxLedgerId $script:Sandbox $set).Count
            $p = Start-ChildPwsh -Command $command -Environment $env
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-SandboxLedgerId $script:Sandbox $set).Count -le $startCount + 200 -and [DateTime]::UtcNow -lt $deadline -and -not $p.HasExited) { Start-Sleep -Milliseconds 50 }
            Start-Sleep -Milliseconds ($random.Next(50, 600))
            $p.HasExited | Should -BeFalse -Because "run $kill must still be sending when it is killed"
            $p.Kill()
            $p.WaitForExit()
        }
        $before = Get-SandboxStats $script:Sandbox
        $final = Send-OfflineEvent -Path $file -EventSetId $set -JournalPath $journal -MaxRequestsPerSecond 0 -WarningAction SilentlyContinue
        $after = Get-SandboxStats $script:Sandbox
        $final.Skipped + $final.Delivered | Should -Be 30000
        $final.Skipped | Should -BeGreaterThan 0
        $ids = Get-SandboxLedgerId $script:Sandbox $set
        $ids.Count | Should -Be 30000
        ([System.Collections.Generic.HashSet[string]]::new($ids)).Count | Should -Be 30000
        # Nothing acknowledged was lost: the rerun resent at most the batches each kill left in flight
        # (-ThrottleLimit 4 of 100 events each), never a journaled one.
        $after.events_deduplicated - $before.events_deduplicated | Should -BeLessOrEqual (5 * 4 * 100)
        # Every kill left a run without an end: the journal says so.
        $runs = Get-OfflineEventDelivery $journal
        @($runs | Where-Object Outcome -EQ 'Interrupted').Count | Should -Be 5
        ($runs | Select-Object -Last 1).Outcome | Should -Be 'Completed'
        ($runs | Measure-Object Delivered -Sum).Sum | Should -Be 30000
    }

    It 'stops after the batches in flight, with the journal consistent, and reports progress' {
        $set = (New-OfflineEventSet -Name "stop $(New-Guid)").EventSetId
        $file = Join-Path $TestDrive 'stop.csv'; New-TestEventFile -Path $file -Rows 20000
        $journal = Join-Path $TestDrive 'stop.journal'
        $ps = [powershell]::Create()
        $null = $ps.AddScript("Import-Module '$env:OEPS_TEST_MODULE'; `$ProgressPreference = 'Continue'; Send-OfflineEvent -Path '$file' -EventSetId $set -JournalPath '$journal' -BatchSize 100 -MaxRequestsPerSecond 40 -AdvertiserId $(Get-TestAdvertiser) -ApiBaseUri '$($script:Sandbox.Uri)' -AccessToken (ConvertTo-SecureString '$(Get-TestToken)' -AsPlainText -Force)")
        $async = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while ((Get-SandboxLedgerId $script:Sandbox $set).Count -lt 500 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
        $ps.Stop()
        $ps.Streams.Progress.Count | Should -BeGreaterThan 0
        $ps.Dispose()
        # The journal is a database now: its events are read back through Get-OfflineEventDelivery.
        $journaled = @(1..20000 | ForEach-Object { "ORD-$_" } | Get-OfflineEventDelivery -JournalPath $journal | ForEach-Object EventId)
        (Get-OfflineEventDelivery $journal).Outcome | Should -Be 'Stopped'
        $ledger = [System.Collections.Generic.HashSet[string]]::new([string[]](Get-SandboxLedgerId $script:Sandbox $set))
        $journaled.Count | Should -BeGreaterThan 0
        $journaled.Count | Should -BeLessThan 20000
        $journaled | Where-Object { -not $ledger.Contains($_) } | Should -BeNullOrEmpty
        $rest = Send-OfflineEvent -Path $file -EventSetId $set -JournalPath $journal -MaxRequestsPerSecond 0 -WarningAction SilentlyContinue
        $rest.Skipped | Should -Be $journaled.Count
        (Get-SandboxLedgerId $script:Sandbox $set).Count | Should -Be 20000
    }
}

Describe 'Send-OfflineEvent stopped with Ctrl+C' -Skip:$IsWindows {
    BeforeAll {
        # A real Ctrl+C: SIGINT to a child pwsh, whose console host stops the pipeline. The warning goes through
        # the host (PowerShell refuses Write* calls once a pipeline is stopping), so it is read from stdout.
        function Stop-ChildSend([string] $Name, [string] $More) {
            $set = (New-OfflineEventSet -Name "$Name $(New-Guid)").EventSetId
            $file = Join-Path $TestDrive "$Name.csv"; New-TestEventFile -Path $file -Rows 3000 -Offset 500000
            $env = @{ OFFLINEEVENTS_ADVERTISER_ID = Get-TestAdvertiser; OFFLINEEVENTS_ACCESS_TOKEN = Get-TestToken; OFFLINEEVENTS_API_URI = "$($script:Sandbox.Uri)" }
            $p = Start-ChildPwsh -Environment $env -Command ("Import-Module '$env:OEPS_TEST_MODULE'; " +
                "Send-OfflineEvent -Path '$file' -EventSetId $set -BatchSize 10 -ThrottleLimit 1 -MaxRequestsPerSecond 10 $More | Out-Null")
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            while ((Get-SandboxLedgerId $script:Sandbox $set).Count -lt 30 -and [DateTime]::UtcNow -lt $deadline -and -not $p.HasExited) { Start-Sleep -Milliseconds 100 }
            $p.HasExited | Should -BeFalse -Because 'the send must still be running when it is stopped'
            & kill -INT $p.Id
            $stdout = $p.StandardOutput.ReadToEndAsync(); $stderr = $p.StandardError.ReadToEndAsync()
            $p.WaitForExit(60000) | Should -BeTrue
            [pscustomobject]@{ Set = $set; File = $file; Output = $stdout.Result + $stderr.Result; Delivered = (Get-SandboxLedgerId $script:Sandbox $set).Count }
        }
    }

    It 'prints one warning with what was delivered, and a rerun with the same journal resumes' {
        $journal = Join-Path $TestDrive 'ctrl-c.journal'
        $run = Stop-ChildSend 'ctrl-c' "-JournalPath '$journal'"
        $warnings = @([regex]::Matches($run.Output, 'WARNING: Send-OfflineEvent was stopped: ([\d,]+) events delivered'))
        $warnings.Count | Should -Be 1 -Because $run.Output
        [long]($warnings[0].Groups[1].Value -replace ',') | Should -Be $run.Delivered
        $run.Delivered | Should -BeLessThan 3000
        $run.Output | Should -Match ([regex]::Escape("Run the same command again with -JournalPath '$journal'"))
        $run.Output | Should -Not -Match ([regex]::Escape((Get-TestToken)))
        $rest = Send-OfflineEvent -Path $run.File -EventSetId $run.Set -JournalPath $journal -MaxRequestsPerSecond 0 -WarningAction SilentlyContinue
        $rest.Skipped | Should -Be $run.Delivered
        $rest.Delivered | Should -Be (3000 - $run.Delivered)
    }

    It 'says what a rerun means when there was no journal' {
        $run = Stop-ChildSend 'ctrl-c-nojournal' ''
        $run.Output | Should -Match "WARNING: Send-OfflineEvent was stopped: $($run.Delivered.ToString('N0')) events delivered"
        $run.Output | Should -Match 'No -JournalPath was given, so a rerun sends every row again'
    }

    It 'says that the reject file was left as it was' {
        $rejects = Join-Path $TestDrive 'older-rejects.csv'
        Set-Content -LiteralPath $rejects -Value 'an older reject file'
        $run = Stop-ChildSend 'ctrl-c-rejects' "-RejectPath '$rejects'"
        $run.Output | Should -Match ([regex]::Escape("The reject file '$rejects' was left as it was"))
        Get-Content -LiteralPath $rejects -Raw | Should -Be "an older reject file$([Environment]::NewLine)"
    }

    It 'keeps quiet under -WarningAction SilentlyContinue' {
        $run = Stop-ChildSend 'ctrl-c-quiet' '-WarningAction SilentlyContinue'
        $run.Delivered | Should -BeGreaterThan 0
        $run.Output | Should -Not -Match 'was stopped'
    }
}

Describe 'Send-OfflineEvent defaults and completion' {
    It 'fills a missing event column and blank currencies from -DefaultEventType and -DefaultCurrency' {
        $set = (New-OfflineEventSet -Name "defaults $(New-Guid)").EventSetId
        $rows = @([pscustomobject]@{ 'Phone Number' = '+1 213 373 4253'; DateTime = $script:Recent; Price = '5'; Currency = '' })
        ($rows | Send-OfflineEvent -EventSetId $set -DefaultEventType 'Contact' -DefaultCurrency eur).Delivered | Should -Be 1
        $e = (Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$set").payload
        $e.event | Should -Be 'Contact'
        $e.properties.currency | Should -Be 'EUR'
    }

    It 'refuses an unknown -DefaultEventType with a suggestion' {
        { @{ email = 'a@b.com'; timestamp = $script:Recent } | Send-OfflineEvent -EventSetId 1 -DefaultEventType Purchse -WhatIf } |
            Should -Throw -ErrorId 'OfflineEvents.InvalidArgument,*' -ExpectedMessage "*did you mean 'Purchase'*"
    }

    It 'tab-completes event types (quoted display names) and currencies' {
        $line = 'Send-OfflineEvent -DefaultEventType Add'
        $names = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $names | Should -Contain "'Add to Cart'"
        $names | Should -Contain 'AddToCart'
        $line = 'Export-OfflineEventFile x.csv -DefaultCurrency EU'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'EUR'
        $line = 'Send-OfflineEvent -TimeZone Europe/Lon'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Europe/London'
    }
}
