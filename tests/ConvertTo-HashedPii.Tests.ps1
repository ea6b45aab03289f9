BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-TestModule
    function Sha([string] $text) {
        $bytes = [System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($text))
        [Convert]::ToHexString($bytes).ToLowerInvariant()
    }
    $script:Vector = '848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f'
}

Describe 'ConvertTo-HashedPii with strings and -Type' {
    It 'hashes TikTok''s email, phone and external id vectors' {
        ' ALICE_abc@gmail.com ' | ConvertTo-HashedPii -Type Email | Should -Be $script:Vector
        '(+1)2133734253' | ConvertTo-HashedPii -Type Phone | Should -Be '9f7ec22d72092cd3c0b58726ed9c2d91b92e51a3f29837508fb2948bb22dd2fd'
        ConvertTo-HashedPii -Value 'user_123' -Type ExternalId | Should -Be '80fba0ae1c48e3978e43e4efc365e14e12ea0c830ba8ba5b9a2dafc7e3f2ab8b'
    }

    It 'writes one value per input: a hash, or an empty string for blank and invalid values' {
        $out = 'John.Doe@Example.com ', '', 'not-an-email' | ConvertTo-HashedPii -Type Email -ErrorAction SilentlyContinue
        $out.Count | Should -Be 3
        $out[0] | Should -Be (Sha 'john.doe@example.com')
        $out[1] | Should -BeExactly ''
        $out[2] | Should -BeExactly ''
    }

    It 'reads national phone numbers with -DefaultRegion' {
        '07911 123456' | ConvertTo-HashedPii -Type Phone -DefaultRegion GB | Should -Be (Sha '+447911123456')
    }

    It 'refuses an unknown -DefaultRegion with a terminating error' {
        { 'x' | ConvertTo-HashedPii -Type Phone -DefaultRegion Narnia } | Should -Throw -ErrorId 'OfflineEvents.Pii.UnknownRegion,*'
    }

    It 'tab-completes -DefaultRegion with region codes' {
        $line = "ConvertTo-HashedPii -DefaultRegion G"
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain 'GB'
        $completions | Should -Not -Contain 'DE'
    }

    It 'asks for -Type when strings come in without it' {
        'a@b.com' | ConvertTo-HashedPii -ErrorVariable errs -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Pii.StringNeedsType,*'
    }
}

Describe 'ConvertTo-HashedPii with objects' {
    It 'keeps every property, in order, and replaces only the PII values' {
        $row = [pscustomobject]@{ event_type = 'Purchase'; email = ' Jo@Example.com'; order_id = 'A1'; phone = '+44 20 7946 0958'; price = '9.99' }
        $out = $row | ConvertTo-HashedPii
        $out.PSObject.Properties.Name | Should -Be @('event_type', 'email', 'order_id', 'phone', 'price')
        $out.event_type | Should -Be 'Purchase'
        $out.order_id | Should -Be 'A1'
        $out.price | Should -Be '9.99'
        $out.email | Should -Be (Sha 'jo@example.com')
        $out.phone | Should -Be (Sha '+442079460958')
    }

    It 'replaces the values in PSCustomObjects themselves and writes the same objects, so no plaintext copy lingers' {
        $row = [pscustomobject]@{ email = 'jo@example.com'; note = 'keep' }
        $out = $row | ConvertTo-HashedPii
        [object]::ReferenceEquals($out, $row) | Should -BeTrue
        $row.email | Should -Be (Sha 'jo@example.com')
        $row.note | Should -Be 'keep'
    }

    It 'copies other objects to a PSCustomObject with the same properties, leaving the original alone' {
        Add-Type -TypeDefinition 'public class HashTestCustomer { public string Name { get; set; } public string Email { get; set; } }' -ErrorAction SilentlyContinue
        $customer = [HashTestCustomer]@{ Name = 'Jo'; Email = 'Jo@Example.com' }
        $out = $customer | ConvertTo-HashedPii
        $out.PSObject.Properties.Name | Should -Be @('Name', 'Email')
        $out.Email | Should -Be (Sha 'jo@example.com')
        $customer.Email | Should -Be 'Jo@Example.com'
    }

    It 'reads hashtable keys as properties' {
        $out = [ordered]@{ email = 'Jo@Example.com'; id = 7 } | ConvertTo-HashedPii
        $out.PSObject.Properties.Name | Should -Be @('email', 'id')
        $out.email | Should -Be (Sha 'jo@example.com')
    }

    It 'finds PII in later objects with more properties than the first (e.g. JSON with optional fields)' {
        $objects = '[{"id":1,"email":"a@x.com"},{"id":2,"email":"b@x.com","phone":"+12133734253"},{"id":3}]' | ConvertFrom-Json
        $out = $objects | ConvertTo-HashedPii
        $out[1].phone | Should -Be (Sha '+12133734253')
        $out[1].email | Should -Be (Sha 'b@x.com')
        $out[2].id | Should -Be 3
    }

    It 'binds Import-Csv rows and finds the usual header spellings' -ForEach @(
        @{ Email = 'email'; Phone = 'phone' }
        @{ Email = 'Email Address'; Phone = 'Phone Number' }
        @{ Email = 'E-mail'; Phone = 'mobile' }
        @{ Email = 'EMAIL_ADDRESS'; Phone = 'Telephone' }
        @{ Email = 'Email '; Phone = 'Mobile Number ' }  # Import-Csv keeps a trailing space in a header
    ) {
        $csv = Join-Path $TestDrive 'in.csv'
        "order_id,$Email,$Phone`n1,Jo@Example.com,(213) 373-4253" | Set-Content $csv
        $out = Import-Csv $csv | ConvertTo-HashedPii -DefaultRegion US
        $out.$Email | Should -Be (Sha 'jo@example.com')
        $out.$Phone | Should -Be (Sha '+12133734253')
        $out.order_id | Should -Be '1'
    }

    It 'round-trips through Export-Csv with the same header' {
        $in = Join-Path $TestDrive 'rt-in.csv'; $outFile = Join-Path $TestDrive 'rt-out.csv'
        "event_type,email,phone,order_id`nPurchase,a@b.co,,7`nContact,,+12133734253,8" | Set-Content $in
        Import-Csv $in | ConvertTo-HashedPii | Export-Csv $outFile -NoTypeInformation
        $lines = Get-Content $outFile
        $lines[0] | Should -Be '"event_type","email","phone","order_id"'
        $lines[1] | Should -Be ('"Purchase","{0}","","7"' -f (Sha 'a@b.co'))
        $lines[2] | Should -Be ('"Contact","","{0}","8"' -f (Sha '+12133734253'))
    }

    It 'takes explicit property names, including a header with a trailing space' {
        $csv = Join-Path $TestDrive 'odd.csv'
        "Kunde E-Mail ,Handy,Kundennummer`nJo@Example.com,0151 23456789,K-1" | Set-Content $csv
        $out = Import-Csv $csv | ConvertTo-HashedPii -EmailProperty 'Kunde E-Mail ' -PhoneProperty Handy -ExternalIdProperty Kundennummer -DefaultRegion DE
        $out.'Kunde E-Mail ' | Should -Be (Sha 'jo@example.com')
        $out.Handy | Should -Be (Sha '+4915123456789')
        $out.Kundennummer | Should -Be (Sha 'K-1')
    }

    It 'matches explicit names ignoring case and surrounding spaces' {
        $out = [pscustomobject]@{ 'Mail Addr ' = 'jo@example.com' } | ConvertTo-HashedPii -EmailProperty 'mail addr'
        $out.'Mail Addr ' | Should -Be (Sha 'jo@example.com')
    }

    It 'a named property that does not exist is a terminating ObjectNotFound error listing the real ones' {
        $err = { [pscustomobject]@{ a = 1; b = 2 } | ConvertTo-HashedPii -EmailProperty mail } | Should -Throw -PassThru
        $err.FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Pii.PropertyNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -Match "'a', 'b'"
    }

    It 'uses each row''s region, falling back to -DefaultRegion for blank ones' {
        $rows = @(
            [pscustomobject]@{ phone = '020 7946 0958'; StoreCountry = 'GB' }
            [pscustomobject]@{ phone = '030 901820'; StoreCountry = 'de' }
            [pscustomobject]@{ phone = '(213) 373-4253'; StoreCountry = '' }
        )
        $out = $rows | ConvertTo-HashedPii -RegionProperty StoreCountry -DefaultRegion US
        $out.phone | Should -Be @((Sha '+442079460958'), (Sha '+4930901820'), (Sha '+12133734253'))
        $out[0].StoreCountry | Should -Be 'GB'
    }

    It 'hashes each value of a multi-valued property (custom objects)' {
        $out = [pscustomobject]@{ email = @('A@x.com', 'b@y.com') } | ConvertTo-HashedPii
        $out.email | Should -Be @((Sha 'a@x.com'), (Sha 'b@y.com'))
    }

    It 'hashes every column of a multi-valued row that follows queued rows' {
        # A row with a multi-valued property is done on its own; its other columns must not be left behind.
        $rows = @(
            [pscustomobject]@{ email = 'a@example.com'; phone = '' }
            [pscustomobject]@{ email = 'jo@example.com'; phone = @('+12133734253', '+442079460958') }
            [pscustomobject]@{ email = 'z@example.com'; phone = '' }
        )
        $out = $rows | ConvertTo-HashedPii
        $out.email | Should -Be @((Sha 'a@example.com'), (Sha 'jo@example.com'), (Sha 'z@example.com'))
        $out[1].phone | Should -Be @((Sha '+12133734253'), (Sha '+442079460958'))
    }

    It 'hashes numbers given as numbers' {
        ([pscustomobject]@{ phone = 12133734253 } | ConvertTo-HashedPii -DefaultRegion US).phone | Should -Be (Sha '+12133734253')
    }

    It 'passes pre-hashed values through lowercased, and never hashes twice when run again' {
        $once = [pscustomobject]@{ email = 'Jo@Example.com'; external_id = $script:Vector.ToUpperInvariant() } | ConvertTo-HashedPii
        $once.external_id | Should -Be $script:Vector
        $twice = $once | ConvertTo-HashedPii
        $twice.email | Should -Be (Sha 'jo@example.com')
    }

    It 'warns once when objects have no PII property, and passes them through' {
        $out = 1..3 | ForEach-Object { [pscustomobject]@{ id = $_ } } | ConvertTo-HashedPii -WarningVariable w -WarningAction SilentlyContinue
        $out.id | Should -Be @(1, 2, 3)
        $w.Count | Should -Be 1
        "$($w[0])" | Should -Match "'id'"
    }
}

Describe 'ConvertTo-HashedPii errors, warnings and summary' {
    # Rebuilt for every test: the cmdlet hashes PSCustomObjects in place.
    BeforeEach {
        $script:Rows = @(
            [pscustomobject]@{ email = 'john.doe@example'; phone = '+44 20 7946 0958' }   # bad email
            [pscustomobject]@{ email = 'jo@example.com'; phone = '07911 123456' }          # national, no region
            [pscustomobject]@{ email = ''; phone = '555-0100' }                            # blank; invalid in US
            [pscustomobject]@{ email = $script:Vector; phone = '' }                         # hashed
            [pscustomobject]@{ email = '5d41402abc4b2a76b9719d911017c592'; phone = '' }     # MD5
        )
    }

    It 'blanks invalid values and reports each with row, column, masked value and rule id' {
        $out = $script:Rows | ConvertTo-HashedPii -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $out.Count | Should -Be 5
        $out[0].email | Should -BeExactly ''
        $out[0].phone | Should -Be (Sha '+442079460958')
        $out[1].phone | Should -BeExactly ''
        $errs.Count | Should -Be 4
        $errs.FullyQualifiedErrorId | ForEach-Object { $_.Split(',')[0] } | Should -Be @(
            'OfflineEvents.Pii.EmailInvalid', 'OfflineEvents.Pii.PhoneNeedsRegion', 'OfflineEvents.Pii.PhoneNeedsRegion', 'OfflineEvents.Pii.HashNotSha256')
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].Exception.Message | Should -Match "^Row 1, column 'email': email j\*\*\*@e\*\*\* "
        $errs[1].Exception.Message | Should -Match "^Row 2, column 'phone': phone .*456 is a national number with no region"
        $errs[1].TargetObject.Row | Should -Be 2
        $errs[1].TargetObject.Column | Should -Be 'phone'
        $errs[1].TargetObject.Rule | Should -Be 'PhoneNeedsRegion'
        $errs[1].TargetObject.Field | Should -Be 'Phone'
    }

    It 'never puts plaintext in errors, their targets or the summary' {
        $null = $script:Rows | ConvertTo-HashedPii -ErrorVariable errs -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -SummaryVariable s
        $text = ($errs | ForEach-Object { $_ | Out-String; $_.Exception.ToString(); $_.TargetObject | Format-List | Out-String; $_.TargetObject | ConvertTo-Json }) -join "`n"
        $text += $s | Format-List | Out-String
        foreach ($plain in 'john.doe', 'example', '7911', '123456', '0100', 'jo@') { $text | Should -Not -Match ([regex]::Escape($plain)) }
    }

    It 'keeps input order and exact row numbers across many batches' {
        $rows = 1..1000 | ForEach-Object { [pscustomobject]@{ n = $_; email = if ($_ % 97 -eq 0) { "broken$_" } else { "u$_@x.com" } } }
        $out = $rows | ConvertTo-HashedPii -ErrorVariable errs -ErrorAction SilentlyContinue
        $out.n | Should -Be (1..1000)
        $out[499].email | Should -Be (Sha 'u500@x.com')
        $errs.TargetObject.Row | Should -Be @(97, 194, 291, 388, 485, 582, 679, 776, 873, 970)
        $errs.Count | Should -Be 10
    }

    It 'under -ErrorAction Ignore blanks and counts invalid values without error records' {
        $before = $Error.Count
        $out = $script:Rows | ConvertTo-HashedPii -ErrorAction Ignore -ErrorVariable errs -WarningAction SilentlyContinue -SummaryVariable s
        $out[0].email | Should -BeExactly ''
        $out[1].phone | Should -BeExactly ''
        $errs.Count | Should -Be 0
        $Error.Count | Should -Be $before
        ($s.Fields | Where-Object Column -EQ 'email').Invalid | Should -Be 2
        ($s.Fields | Where-Object Column -EQ 'phone').Invalid | Should -Be 2
    }

    It 'honours -ErrorAction Stop at the first invalid value' {
        { $script:Rows | ConvertTo-HashedPii -ErrorAction Stop } | Should -Throw -ErrorId 'OfflineEvents.Pii.EmailInvalid,*'
    }

    It 'with a default region, a number invalid for it is PhoneInvalid' {
        $null = $script:Rows[2] | ConvertTo-HashedPii -DefaultRegion US -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'OfflineEvents.Pii.PhoneInvalid,*'
        $errs[0].Exception.Message | Should -Match 'not a valid phone number for region US'
    }

    It 'a value over its column''s limit is FieldTooLong, as Send and Test call it, and is not hashed' {
        $rows = @([pscustomobject]@{ email = ('a' * 320) + '@x.com'; phone = '+1' + ('2' * 70); external_id = 'k' * 257 })
        $out = $rows | ConvertTo-HashedPii -ErrorVariable errs -ErrorAction SilentlyContinue
        $out.email | Should -BeExactly ''
        $out.external_id | Should -BeExactly ''
        @($errs.FullyQualifiedErrorId | ForEach-Object { $_.Split(',')[0] }) | Should -Be @('OfflineEvents.Pii.FieldTooLong', 'OfflineEvents.Pii.FieldTooLong', 'OfflineEvents.Pii.FieldTooLong')
        $errs[0].Exception.Message | Should -Match "^Row 1, column 'email': email .* is 326 characters long, over the limit of 320"
        $errs[0].Exception.Message | Should -Not -Match 'aaaa'
        ('k' * 257) | ConvertTo-HashedPii -Type ExternalId -ErrorAction SilentlyContinue | Should -BeExactly ''
    }

    It 'warns once for a column that mixes hashed and plain values' {
        $rows = 1..5 | ForEach-Object { [pscustomobject]@{ email = if ($_ % 2) { "u$_@x.com" } else { Sha "u$_@x.com" } } }
        $null = $rows | ConvertTo-HashedPii -WarningVariable w -WarningAction SilentlyContinue
        $w.Count | Should -Be 1
        "$($w[0])" | Should -Match "Column 'email' mixes SHA-256 hashes with plain values"
    }

    It 'summarizes counts per column in -SummaryVariable and on the verbose stream' {
        $verbose = $script:Rows | ConvertTo-HashedPii -DefaultRegion GB -SummaryVariable s -ErrorAction SilentlyContinue -WarningAction SilentlyContinue -Verbose 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        $s.Rows | Should -Be 5
        $email = $s.Fields | Where-Object Column -EQ 'email'
        $email.Hashed | Should -Be 1
        $email.PassedThrough | Should -Be 1
        $email.Invalid | Should -Be 2
        $email.Blank | Should -Be 1
        $phone = $s.Fields | Where-Object Column -EQ 'phone'
        $phone.Hashed | Should -Be 1
        $phone.RegionAdded | Should -Be 1
        $phone.Invalid | Should -Be 1
        $phone.Blank | Should -Be 2
        ($verbose.Message -join "`n") | Should -Match "5 rows; Email \('email'\): 1 hashed, 0 region added, 1 passed through, 2 invalid, 1 blank"
        ($s.Fields | Format-Table | Out-String -Width 200) | Should -Match 'Field\s+Column\s+Hashed\s+RegionAdded\s+PassedThrough\s+Invalid\s+Blank'
    }
}
