# The hostile corpus (issue 17): 300 generated rows (deterministic seed) with random, boundary and hostile values in every
# field, some shifted by an unquoted comma or missing a field. Fuzz.Tests.ps1 runs it through every row cmdlet and route;
# Verdicts.Tests.ps1 checks that every route gives each of its rows the same verdict.

<#
Writes the corpus to -Path (UTF-8, no BOM) and returns it: Path, Columns, Rows (the fields of each row, as written),
Emails and Phones (its identifiers), Secrets (their plain texts, which must never be seen), FreeText (the columns a
valid row carries through as given).
#>
function New-HostileCorpus {
    param([Parameter(Mandatory)] [string] $Path)
    $random = [Random]::new(20261201)
    function Pick([object[]] $From) { $From[$random.Next($From.Count)] }
    $now = [DateTimeOffset]::UtcNow

    # The identifiers the corpus uses, each with the plain texts that must never be seen.
    $emails = 1..40 | ForEach-Object { "Fz$_.Person@Fuzz-Mail.test" }
    $phones = 1..40 | ForEach-Object {
        $n = '{0:000}' -f (100 + $_)
        Pick @("+12133734$n", "(213) 373-4$n", "213.373.4$n", "2133734$n", "+1 213 373 4$n")
    }
    $secrets = @($emails | ForEach-Object { $_; $_.Split('@')[0] }) +
        @(1..40 | ForEach-Object { '2133734{0:000}' -f (100 + $_) }) + @($phones | Where-Object { $_ -match '[ ().-]' })

    $columns = 'event_type', 'email', 'phone', 'timestamp', 'price', 'currency', 'transaction_category', 'order_id', 'quantity',
        'product_id', 'product_category', 'store_id', 'external_id'
    # Columns whose values a valid row carries through as given (into upload files, into ConvertTo-HashedPii's objects):
    # an identifier there is the row's own data. Everywhere else it is hashed, or its row is rejected with it masked.
    $freeText = 'transaction_category', 'order_id', 'product_id', 'product_category', 'store_id'
    $hostile = @('', ' ', "`t", ('x' * 5000), 'Ünïcødé ✓ 😀', "nul`0char", "bell`a", '"quoted"', 'a"b', 'a,b', "two`nlines",
        '=1+1', '+cmd', '-2', '@SUM(A1)', "`r=x", '    padded    ', 'null', 'NaN', ([string][char]0x202E) + 'rtl')
    $pool = @{
        event_type  = @('Purchase', 'Complete Payment', 'CompletePayment', 'add_to_cart', 'Lead', 'Add to Crat', ('Purchase' * 9), 'Refund')
        email       = @($emails) + @('broken@', '@nope', 'a@b', ' SPACED@Example.com ', ('a' * 300 + '@x.com'))
        phone       = @($phones) + @('+1 123', '00', '+999999999999999999', '(213) 555-01', '0044 20 7946 0958')
        timestamp   = @($now.AddHours(-3).ToString('yyyy-MM-ddTHH:mm:ssZ'), $now.AddDays(-2).ToString('yyyy-MM-ddTHH:mm:ss.fffzzz'),
            $now.AddHours(-5).ToString('yyyy-MM-ddTHH:mm:ss'), '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-14:00',
            '0001-01-01T00:00:00', '9999-12-31T23:59:59', '1970-01-01T00:00:00Z', '2000-01-01T00:00:00Z', '1999-12-31T23:59:59Z',
            $now.AddDays(3).ToString('o'), '2026-02-30T10:00:00Z', '11/20/2026', '2026-11-20T24:00:00Z', '2026-03-29T02:30:00',
            '2026-11-20T10:00:00+15:00', '0000-01-01T00:00:00Z')
        price       = @('0', '10', '12.50', '999999999999.999', '1000000000000', '99999999999', '1.2345', '1e5', '-1', '(5)', '1,234.50',
            '12,5', '$5', '79228162514264337593543950335', '7922816251426433759354395033599', '.5', '5.', '0000000000000000000001')
        currency    = @('USD', 'usd', ' eur ', 'AMD', 'XYZ', 'EURO', 'US$')
        quantity    = @('1', '2', '2147483647', '2147483648', '9223372036854775807', '99999999999999999999999', '0', '-1', '1.5', '1e3')
        external_id = @('user_1', ('a' * 257), '848a771458438fc2ec420560d769fb9b9b86851ee338ec56517baabd79d3bb4f')
    }
    foreach ($c in $freeText) { $pool[$c] = @('retail', 'A-1', 'SKU-9', 'shoes', 'store_1', ('z' * 300)) }

    $good = @{
        event_type = 'Purchase'; timestamp = $now.AddHours(-3).ToString('yyyy-MM-ddTHH:mm:ssZ'); price = '19.99'; currency = 'USD'
        transaction_category = 'retail'; quantity = '1'; product_id = 'SKU-1'; product_category = 'shoes'; store_id = 'store_1'; external_id = 'user_7'
    }
    $rows = [Collections.Generic.List[object[]]]::new()
    for ($r = 0; $r -lt 300; $r++) {
        # A good row (its own email and phone, order id), then one to four fields drawn from the boundary and hostile
        # values of their column, hostile values of any column, and the corpus's identifiers; a fifth of rows stay good.
        $fields = [object[]]::new($columns.Count)
        for ($c = 0; $c -lt $columns.Count; $c++) {
            $fields[$c] = switch ($columns[$c]) { 'email' { Pick $emails } 'phone' { Pick $phones } 'order_id' { "F-$r" } default { $good[$_] } }
        }
        $changes = if ($random.NextDouble() -lt 0.2) { 0 } else { $random.Next(1, 5) }
        for ($k = 0; $k -lt $changes; $k++) {
            $c = $random.Next($columns.Count)
            $roll = $random.NextDouble()
            $fields[$c] = if ($roll -lt 0.55) { Pick $pool[$columns[$c]] }
            elseif ($roll -lt 0.8) { Pick $hostile }
            elseif ($roll -lt 0.9) { Pick $emails }
            else { Pick $phones }
        }
        # A tenth are shifted by an unquoted comma (a value split in two) or lose a field.
        $shift = $random.NextDouble()
        if ($shift -lt 0.07) {
            $at = $random.Next(1, 4)
            $fields = @($fields[0..($at - 1)]) + @('Doe') + @($fields[$at..($fields.Count - 1)])
        }
        elseif ($shift -lt 0.1) {
            $at = $random.Next(1, 4)
            $fields = @($fields[0..($at - 1)]) + @($fields[($at + 1)..($fields.Count - 1)])
        }
        $rows.Add($fields)
    }

    function Quote([string] $value) { if ($value -match '[",\r\n]' -or $value -ne $value.Trim()) { '"' + ($value -replace '"', '""') + '"' } else { $value } }
    $lines = @($columns -join ',') + @($rows | ForEach-Object { ($_ | ForEach-Object { Quote "$_" }) -join ',' })
    [IO.File]::WriteAllText($Path, ($lines -join "`n") + "`n", [Text.UTF8Encoding]::new($false))

    [pscustomobject]@{ Path = $Path; Columns = $columns; Rows = $rows; Emails = $emails; Phones = $phones; Secrets = $secrets; FreeText = $freeText }
}

<# The same rows as objects, some values typed as a pipeline would carry them; new objects on every call (ConvertTo-HashedPii hashes PSCustomObjects in place). #>
function New-HostileCorpusObjects {
    param([Parameter(Mandatory)] $Corpus)
    $rows = $Corpus.Rows
    $columns = $Corpus.Columns
    # The object route: the same rows as objects, some values typed as a pipeline would carry them.
    $typed = @(
        @{ timestamp = [DateTime]::MinValue }, @{ timestamp = [DateTime]::MaxValue }, @{ timestamp = [DateTimeOffset]::MinValue },
        @{ timestamp = [DateTime]::SpecifyKind([DateTime]::new(1, 1, 1), 'Utc') }, @{ price = 1e300 }, @{ price = [double]::NaN },
        @{ price = [decimal]::MaxValue }, @{ quantity = [long]::MaxValue }, @{ quantity = [int]::MaxValue }, @{ price = @{ amount = 5 } },
        @{ order_id = [pscustomobject]@{ id = 1 } }, @{ phone = @('+12133734101', '+12133734102') }, @{ email = $null }, @{ price = $true }
    )
        for ($r = 0; $r -lt $rows.Count; $r++) {
            $o = [ordered]@{}
            for ($c = 0; $c -lt $columns.Count; $c++) { $o[$columns[$c]] = if ($c -lt $rows[$r].Count) { $rows[$r][$c] } else { $null } }
            if ($r % 7 -eq 3) { $change = $typed[[Math]::Floor($r / 7) % $typed.Count]; foreach ($k in $change.Keys) { $o[$k] = $change[$k] } }
            [pscustomobject]$o
        }
}

Export-ModuleMember -Function New-HostileCorpus, New-HostileCorpusObjects
