# Issue 16 item 3: timestamps as exports write them, on every row route (Test-OfflineEventFile, Send-OfflineEvent
# -Path and pipeline to the real sandbox, Export-OfflineEventFile -LiteralInputPath and pipeline): the instant each
# route sends or writes, checked in the sandbox ledger and the upload file.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    if (-not (Get-Command Send-OfflineEvent -ErrorAction Ignore)) { Import-Module $env:OEPS_TEST_MODULE -Global -ErrorAction Stop }
    $script:Sandbox = Start-TestSandbox
    Connect-TestSandbox $script:Sandbox
    $script:Run = 0

    function New-Input([string[]] $Lines) {
        $script:Run++
        $path = Join-Path $TestDrive "times-$($script:Run).csv"
        [IO.File]::WriteAllText($path, ($Lines -join "`n") + "`n")
        $path
    }

    function Utc([string] $Text) { [DateTimeOffset]::Parse($Text, [Globalization.CultureInfo]::InvariantCulture).ToUnixTimeSeconds() }

    # Every route takes every row, and sends or writes the expected instant for each order (order_id -> UTC text).
    function Assert-Times([string] $Path, [System.Collections.IDictionary] $Expected, [hashtable] $Options = @{}) {
        $test = Test-OfflineEventFile -LiteralPath $Path @Options
        $test.Errors | Should -Be 0 -Because ($test.Issues | Out-String)
        $test.Rows | Should -Be $Expected.Count
        foreach ($route in 'path', 'pipeline') {
            $set = (New-OfflineEventSet -Name "times $(New-Guid)").EventSetId
            $summary = if ($route -eq 'path') { Send-OfflineEvent -LiteralPath $Path -EventSetId $set @Options -WarningAction SilentlyContinue }
                       else { Import-Csv -LiteralPath $Path | Send-OfflineEvent -EventSetId $set @Options -WarningAction SilentlyContinue }
            $summary.Delivered | Should -Be $Expected.Count -Because "Send $route"
            $ledger = @(Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$set")
            foreach ($order in $Expected.Keys) {
                ($ledger.payload | Where-Object { $_.properties.order_id -eq $order }).event_time | Should -Be (Utc $Expected[$order]) -Because "Send $route, $order"
            }
            $out = Join-Path $TestDrive "upload-$($script:Run)-$route.csv"
            $result = if ($route -eq 'path') { Export-OfflineEventFile $out -LiteralInputPath $Path @Options -WarningAction SilentlyContinue }
                      else { Import-Csv -LiteralPath $Path | Export-OfflineEventFile $out @Options -WarningAction SilentlyContinue }
            $result.Written | Should -Be $Expected.Count -Because "Export $route"
            foreach ($row in Import-Csv $out) {
                $row.timestamp | Should -Match 'Z$'
                Utc $row.timestamp | Should -Be (Utc $Expected[$row.order_id]) -Because "Export $route, $($row.order_id)"
            }
        }
    }

    # Every route refuses the single row with the rule, and its message says the words.
    function Assert-Refused([string] $Path, [string] $Rule, [string] $Like, [hashtable] $Options = @{}) {
        $test = Test-OfflineEventFile -LiteralPath $Path @Options
        $test.RuleCounts[$Rule] | Should -Be 1 -Because ($test.Issues | Out-String)
        ($test.Issues | Where-Object Rule -EQ $Rule).Message | Should -BeLike $Like
        $set = (New-OfflineEventSet -Name "times $(New-Guid)").EventSetId
        foreach ($route in 'path', 'pipeline') {
            $errs = $null
            $summary = if ($route -eq 'path') { Send-OfflineEvent -LiteralPath $Path -EventSetId $set @Options -ErrorVariable errs -ErrorAction SilentlyContinue }
                       else { Import-Csv -LiteralPath $Path | Send-OfflineEvent -EventSetId $set @Options -ErrorVariable errs -ErrorAction SilentlyContinue }
            $summary.RejectsByRule[$Rule] | Should -Be 1 -Because "Send $route"
            $errs[0].FullyQualifiedErrorId | Should -BeLike "OfflineEvents.Send.Rejected.$Rule*"
            $errs[0].Exception.Message | Should -BeLike "*$Like*"
            $out = Join-Path $TestDrive "refused-$($script:Run)-$route.csv"
            $result = if ($route -eq 'path') { Export-OfflineEventFile $out -LiteralInputPath $Path @Options -ErrorAction SilentlyContinue }
                      else { Import-Csv -LiteralPath $Path | Export-OfflineEventFile $out @Options -ErrorAction SilentlyContinue }
            $result.RejectsByRule[$Rule] | Should -Be 1 -Because "Export $route"
        }
    }
}

AfterAll {
    Disconnect-OfflineEventApi
    if ($script:Sandbox) { Stop-TestSandbox $script:Sandbox }
}

Describe 'Timestamps as exports write them, with no parameter' {
    It 'reads ISO-8601 with a space before the offset, offsets without a colon, and epoch seconds and milliseconds' {
        $path = New-Input @(
            'event_type,email,timestamp,order_id'
            'Purchase,a@example.com,2026-11-28 09:57:59 -0500,SHOPIFY'
            'Purchase,b@example.com,2026-11-28 09:57:59 -05:00,COLON'
            'Purchase,c@example.com,2026-11-28T16:57:59+0200,NOCOLON'
            'Purchase,d@example.com,2026-11-28 14:57:59 Z,SPACEZ'
            'Purchase,e@example.com,1795877879,EPOCHS'
            'Purchase,f@example.com,1795877879000,EPOCHMS')
        Assert-Times $path ([ordered]@{ SHOPIFY = '2026-11-28T14:57:59Z'; COLON = '2026-11-28T14:57:59Z'; NOCOLON = '2026-11-28T14:57:59Z'
            SPACEZ = '2026-11-28T14:57:59Z'; EPOCHS = '2026-11-28T14:57:59Z'; EPOCHMS = '2026-11-28T14:57:59Z' })
    }

    It 'refuses a US date without -TimestampFormat, naming what it tried and the parameter' {
        $path = New-Input @('event_type,email,timestamp,order_id', 'Purchase,a@example.com,11/24/2026 9:53 AM,US')
        Assert-Refused $path 'TimestampInvalid' "timestamp '11/24/2026 9:53 AM' is not ISO-8601*epoch seconds or milliseconds*-TimestampFormat*'M/d/yyyy h:mm tt'*"
    }

    It 'keeps the bounds for epoch values: before 2000 is TimestampOutOfRange' {
        $path = New-Input @('event_type,email,timestamp,order_id', 'Purchase,a@example.com,946684799,OLD')
        Assert-Refused $path 'TimestampOutOfRange' '*before 2000-01-01*'
    }
}

Describe '-TimestampFormat and -Culture' {
    It 'reads US dates with M/d/yyyy h:mm tt and en-US, in -TimeZone' {
        $path = New-Input @(
            'event_type,email,timestamp,order_id'
            'Purchase,a@example.com,11/24/2026 9:53 AM,AM'
            'Purchase,b@example.com,11/24/2026 9:53 PM,PM')
        Assert-Times $path ([ordered]@{ AM = '2026-11-24T14:53:00Z'; PM = '2026-11-25T02:53:00Z' }) @{ TimestampFormat = 'M/d/yyyy h:mm tt'; Culture = 'en-US'; TimeZone = 'America/New_York' }
    }

    It 'reads German dates with several formats in order, and a month name in de-DE' {
        $path = New-Input @(
            'event_type,email,timestamp,order_id'
            'Purchase,a@example.com,03.11.2026 14:22,MINUTES'
            'Purchase,b@example.com,03.11.2026 14:22:05,SECONDS'
            'Purchase,c@example.com,3. November 2026 14:22,NAMED'
            'Purchase,d@example.com,2026-11-03T13:22:00Z,ISO')
        Assert-Times $path ([ordered]@{ MINUTES = '2026-11-03T13:22:00Z'; SECONDS = '2026-11-03T13:22:05Z'; NAMED = '2026-11-03T13:22:00Z'; ISO = '2026-11-03T13:22:00Z' }) `
            @{ TimestampFormat = 'dd.MM.yyyy HH:mm', 'dd.MM.yyyy HH:mm:ss', 'd. MMMM yyyy HH:mm'; Culture = 'de-DE'; TimeZone = 'Europe/Berlin' }
    }

    It '-Culture alone reads that culture''s own date and time patterns' {
        $path = New-Input @('event_type,email,timestamp,order_id', 'Purchase,a@example.com,11/24/2026 9:53 AM,G')
        Assert-Times $path ([ordered]@{ G = '2026-11-24T09:53:00Z' }) @{ Culture = 'en-US'; TimeZone = 'UTC' }
    }

    It 'a value that fits no format names the formats tried' {
        $path = New-Input @('event_type,email,timestamp,order_id', 'Purchase,a@example.com,24/11/2026 09:53,X')
        Assert-Refused $path 'TimestampInvalid' "*matches none of -TimestampFormat 'M/d/yyyy h:mm tt' (culture en-US)*ISO-8601*" @{ TimestampFormat = 'M/d/yyyy h:mm tt'; Culture = 'en-US' }
    }

    It 'an unknown culture or an invalid format ends each cmdlet before anything is read' {
        $path = New-Input @('event_type,email,timestamp,order_id', 'Purchase,a@example.com,2026-11-24T09:53:00Z,X')
        $set = (New-OfflineEventSet -Name "times $(New-Guid)").EventSetId
        { Test-OfflineEventFile $path -Culture 'xx-NOPE' } | Should -Throw -ErrorId 'OfflineEvents.UnknownCulture,*'
        { Send-OfflineEvent -Path $path -EventSetId $set -Culture 'xx-NOPE' } | Should -Throw -ErrorId 'OfflineEvents.UnknownCulture,*'
        { Export-OfflineEventFile (Join-Path $TestDrive 'never.csv') -InputPath $path -TimestampFormat '%' } | Should -Throw -ErrorId 'OfflineEvents.InvalidTimestampFormat,*'
        { Import-Csv $path | Send-OfflineEvent -EventSetId $set -TimestampFormat "'unclosed" } | Should -Throw -ErrorId 'OfflineEvents.InvalidTimestampFormat,*'
        Test-Path (Join-Path $TestDrive 'never.csv') | Should -BeFalse
        @(Invoke-RestMethod "$($script:Sandbox.Uri)sandbox/ledger?event_set_id=$set").Where({ $_ }).Count | Should -Be 0
    }
}

Describe 'A date column and a time column' {
    It 'make one timestamp, in ISO form or with -TimestampFormat describing the two joined by a space' {
        $path = New-Input @('event_type,email,date,time,order_id', 'Purchase,a@example.com,2026-11-20,14:05:09,D1', 'Purchase,b@example.com,2026-11-21,08:00,D2')
        Assert-Times $path ([ordered]@{ D1 = '2026-11-20T20:05:09Z'; D2 = '2026-11-21T14:00:00Z' }) @{ TimeZone = 'America/Chicago' }
        $us = New-Input @('event_type,email,date,time,order_id', 'Purchase,a@example.com,11/20/2026,2:05 PM,U1')
        Assert-Times $us ([ordered]@{ U1 = '2026-11-20T20:05:00Z' }) @{ TimeZone = 'America/Chicago'; TimestampFormat = 'M/d/yyyy h:mm tt'; Culture = 'en-US' }
    }

    It 'an empty time is a TimestampMissing error on the time column' {
        $path = New-Input @('event_type,email,date,time,order_id', 'Purchase,a@example.com,2026-11-20,,D1')
        Assert-Refused $path 'TimestampMissing' 'time is empty'
    }
}

Describe 'Time zones by IANA, Windows and Rails names' {
    It 'a row''s time_zone column places its local time, whatever the naming system, over -TimeZone' {
        $path = New-Input @(
            'event_type,email,timestamp,Time Zone,order_id'
            'Purchase,a@example.com,2026-11-20 09:53,Central Time (US & Canada),RAILS'
            'Purchase,b@example.com,2026-11-20 09:53,Central Standard Time,WINDOWS'
            'Purchase,c@example.com,2026-11-20 09:53,America/Chicago,IANA'
            'Purchase,d@example.com,2026-11-20 09:53,,DEFAULT'
            'Purchase,e@example.com,2026-11-20 09:53 +0100,America/Chicago,OFFSET')
        Assert-Times $path ([ordered]@{ RAILS = '2026-11-20T15:53:00Z'; WINDOWS = '2026-11-20T15:53:00Z'; IANA = '2026-11-20T15:53:00Z'
            DEFAULT = '2026-11-20T00:53:00Z'; OFFSET = '2026-11-20T08:53:00Z' }) @{ TimeZone = 'Asia/Tokyo' }
    }

    It '-TimeZone takes <Name>' -ForEach @(
        @{ Name = 'Eastern Time (US & Canada)' }, @{ Name = 'Eastern Standard Time' }, @{ Name = 'America/New_York' }) {
        $path = New-Input @('event_type,email,timestamp,order_id', 'Purchase,a@example.com,2026-11-20T09:53:00,NY')
        Assert-Times $path ([ordered]@{ NY = '2026-11-20T14:53:00Z' }) @{ TimeZone = $Name }
    }

    It 'an unknown row zone is that row''s TimeZoneUnknown error' {
        $path = New-Input @('event_type,email,timestamp,time_zone,order_id', 'Purchase,a@example.com,2026-11-20 09:53,Mars/Olympus,M')
        Assert-Refused $path 'TimeZoneUnknown' "time_zone 'Mars/Olympus' is not a time zone name*Rails*"
    }

    It 'an unknown -TimeZone ends each cmdlet, naming the three systems' {
        $path = New-Input @('event_type,email,timestamp,order_id', 'Purchase,a@example.com,2026-11-20T09:53:00Z,X')
        $err = { Test-OfflineEventFile $path -TimeZone 'Mars/Olympus' } | Should -Throw -ErrorId 'OfflineEvents.UnknownTimeZone,*' -PassThru
        $err.Exception.Message | Should -BeLike '*IANA*Windows*Rails*'
        { Export-OfflineEventFile (Join-Path $TestDrive 'never.csv') -InputPath $path -TimeZone 'Mars/Olympus' } | Should -Throw -ErrorId 'OfflineEvents.UnknownTimeZone,*'
    }
}

Describe 'The DST rule on the 2026 transition days' {
    It 'moves a skipped time forward by the gap and reads a repeated one as the first, with a warning each' {
        $path = New-Input @(
            'event_type,email,timestamp,time_zone,order_id'
            'Purchase,a@example.com,2026-03-08 02:30,America/New_York,NY-GAP'
            'Purchase,b@example.com,2026-11-01 01:30,America/New_York,NY-OVERLAP'
            'Purchase,c@example.com,2026-03-29 02:30,Europe/Berlin,BERLIN-GAP'
            'Purchase,d@example.com,2026-10-25 02:30,Europe/Berlin,BERLIN-OVERLAP')
        Assert-Times $path ([ordered]@{ 'NY-GAP' = '2026-03-08T07:30:00Z'; 'NY-OVERLAP' = '2026-11-01T05:30:00Z'
            'BERLIN-GAP' = '2026-03-29T01:30:00Z'; 'BERLIN-OVERLAP' = '2026-10-25T00:30:00Z' })
        $test = Test-OfflineEventFile $path
        $test.RuleCounts['TimestampDstGap'] | Should -Be 2
        $test.RuleCounts['TimestampDstOverlap'] | Should -Be 2
        $set = (New-OfflineEventSet -Name "times $(New-Guid)").EventSetId
        $warnings = $null
        $null = Send-OfflineEvent -Path $path -EventSetId $set -WarningVariable warnings -WarningAction SilentlyContinue
        ($warnings -join "`n") | Should -BeLike '*TimestampDstGap*moved forward by the gap*'
        ($warnings -join "`n") | Should -BeLike '*TimestampDstOverlap*read as the first*'
    }
}
