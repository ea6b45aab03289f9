# The five export shapes users bring (issue 16): files written the way each system writes them, with times
# relative to now so they never go stale. Each writer returns what the file holds (orders, their lines' totals and
# identifiers) so a test checks the sandbox ledger against the data, not against typed-in figures.
Set-StrictMode -Version 3

# One clock per import: the same call writes the same file (and so the same event ids) within a test run.
$script:Now = [DateTimeOffset]::new([DateTimeOffset]::UtcNow.Year, [DateTimeOffset]::UtcNow.Month, [DateTimeOffset]::UtcNow.Day, 0, 0, 0, [TimeSpan]::Zero).AddDays(-2)

function New-Expected {
    param([string] $Key, [string] $Event, [DateTimeOffset] $Time, [decimal] $Value, [string[]] $Email = @(), [string[]] $Phone = @(), [int] $Lines = 1)
    [pscustomobject]@{ Key = $Key; Event = $Event; Time = $Time; Value = $Value; Email = @($Email | Where-Object { $_ }); Phone = @($Phone | Where-Object { $_ }); Lines = $Lines }
}

function ConvertTo-CsvLine {
    param([object[]] $Values, [string] $Delimiter = ',')
    ($Values | ForEach-Object {
        $s = [string]$_
        if ($s.IndexOfAny([char[]]"$Delimiter`"`r`n") -ge 0) { '"' + $s.Replace('"', '""') + '"' } else { $s }
    }) -join $Delimiter
}

<#
Shopify's order export: one line per line item; the order's own columns (Email, Phone, Currency, Total, billing
address) only on its first line; 'Created at' as Shopify writes it (2026-11-08 09:57:59 -0500); 'Lineitem price'
per item. Map: order_id = Name, price = Lineitem price with -PriceIs UnitPrice.
#>
function New-ShopifyOrdersExport {
    param([Parameter(Mandatory)] [string] $Path, [int] $Orders = 12)
    $header = 'Name', 'Email', 'Financial Status', 'Paid at', 'Fulfillment Status', 'Accepts Marketing', 'Currency', 'Subtotal', 'Shipping', 'Taxes', 'Total',
    'Discount Code', 'Discount Amount', 'Shipping Method', 'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price', 'Lineitem compare at price',
    'Lineitem sku', 'Lineitem requires shipping', 'Lineitem taxable', 'Lineitem fulfillment status', 'Billing Name', 'Billing Street', 'Billing City',
    'Billing Zip', 'Billing Province', 'Billing Country', 'Billing Phone', 'Notes', 'Payment Method', 'Vendor', 'Id', 'Tags', 'Source', 'Phone'
    $products = @(('Linen Shirt', 'LS-001', 39.00), ('Canvas Tote', 'CT-014', 18.50), ('Wool Socks', 'WS-220', 9.95), ('Leather Belt', 'LB-031', 45.00))
    $zone = [TimeSpan]::FromHours(-5)
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add((ConvertTo-CsvLine $header))
    $expected = foreach ($o in 1..$Orders) {
        $name = '#{0}' -f (1000 + $o)
        $created = $script:Now.AddMinutes(37 * $o).ToOffset($zone)
        $email = if ($o % 5 -eq 0) { '' } else { "Shopper.$o@Example.com" }
        $phone = if ($o % 3 -eq 0) { '+1 (212) 555-01{0:00}' -f $o } else { '' }
        $billingPhone = if ($o % 4 -eq 0) { '(646) 555-02{0:00}' -f $o } else { '' }
        $count = 1 + ($o % 4)
        $total = [decimal]0
        for ($l = 0; $l -lt $count; $l++) {
            $p = $products[($o + $l) % $products.Count]
            $qty = 1 + (($o + $l) % 3)
            $total += [decimal]$p[2] * $qty
            $first = $l -eq 0
            $row = @(
                $name, $(if ($first) { $email }), $(if ($first) { 'paid' }), $(if ($first) { $created.ToString('yyyy-MM-dd HH:mm:ss zzz').Remove(23, 1) }),
                $(if ($first) { 'fulfilled' }), $(if ($first) { 'yes' }), $(if ($first) { 'USD' }), '', $(if ($first) { '5.00' }), '', '', '', '',
                $(if ($first) { 'Standard' }), $created.ToString('yyyy-MM-dd HH:mm:ss zzz').Remove(23, 1), $qty, $p[0], ('{0:0.00}' -f $p[2]), '',
                $p[1], 'true', 'true', 'fulfilled', $(if ($first) { "Shopper $o" }), $(if ($first) { "$o Main St" }), $(if ($first) { 'New York' }),
                $(if ($first) { '10001' }), $(if ($first) { 'NY' }), $(if ($first) { 'US' }), $(if ($first) { $billingPhone }), '', $(if ($first) { 'Shopify Payments' }),
                'Acme Goods', $(if ($first) { 5000000000 + $o }), '', $(if ($first) { 'web' }), $(if ($first) { $phone }))
            $lines.Add((ConvertTo-CsvLine $row))
        }
        New-Expected -Key $name -Event 'CompletePayment' -Time $created -Value $total -Email $email -Phone $phone, $billingPhone -Lines $count
    }
    [IO.File]::WriteAllLines($Path, $lines)
    $expected
}

<#
Square's item sales export (POS): one line per item sold; Date, Time and Time Zone in three columns, the zone as
Rails names it ('Central Time (US & Canada)'); 'Event Type' is Payment or Refund; money as '$12.50'; the customer
only as 'Customer ID', joined to Square's customer export (Email Address, Phone Number) for identifiers.
#>
function New-SquareItemSalesExport {
    param([Parameter(Mandatory)] [string] $Path, [Parameter(Mandatory)] [string] $CustomerPath, [int] $Transactions = 10)
    $header = 'Date', 'Time', 'Time Zone', 'Category', 'Item', 'Qty', 'Price Point Name', 'SKU', 'Modifiers Applied', 'Gross Sales', 'Discounts',
    'Net Sales', 'Tax', 'Transaction ID', 'Payment ID', 'Device Name', 'Notes', 'Details', 'Event Type', 'Location', 'Dining Option',
    'Customer ID', 'Customer Name', 'Customer Reference ID', 'Unit', 'Count', 'Itemization Type'
    $central = [TimeZoneInfo]::FindSystemTimeZoneById('America/Chicago')
    $items = @(('Coffee', 'Latte', 'LAT-12', 4.75), ('Bakery', 'Croissant', 'CRO-01', 3.25), ('Coffee', 'Cold Brew', 'CB-16', 5.50))
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add((ConvertTo-CsvLine $header))
    $customers = [Collections.Generic.List[string]]::new()
    $customers.Add((ConvertTo-CsvLine 'Square Customer ID', 'First Name', 'Last Name', 'Email Address', 'Phone Number', 'Nickname', 'Company Name', 'Creation Source', 'First Visit', 'Last Visit'))
    $expected = foreach ($t in 1..$Transactions) {
        $utc = $script:Now.AddMinutes(53 * $t)
        $local = [TimeZoneInfo]::ConvertTime($utc, $central)
        $txn = 'TXN{0:000000}' -f (40000 + $t)
        $customer = if ($t % 4 -eq 0) { '' } else { 'CUST{0:0000}' -f $t }   # walk-in sales have no customer
        $refund = $t % 7 -eq 0
        $email = "guest$t@example.org"
        $phone = '+1 312 555 {0:0000}' -f (1000 + $t)
        if ($customer) { $customers.Add((ConvertTo-CsvLine $customer, "Guest", "N$t", $email, $phone, '', '', 'Point of Sale', '', '')) }
        $count = 1 + ($t % 3)
        $total = [decimal]0
        for ($l = 0; $l -lt $count; $l++) {
            $i = $items[($t + $l) % $items.Count]
            $gross = [decimal]$i[3]
            $total += $gross
            $lines.Add((ConvertTo-CsvLine @($local.ToString('MM/dd/yyyy'), $local.ToString('HH:mm:ss'), 'Central Time (US & Canada)', $i[0], $i[1], '1', 'Regular',
                        $i[2], '', ('${0:0.00}' -f $gross), '$0.00', ('${0:0.00}' -f $gross), '$0.00', $txn, "PAY$t", 'Counter 1', '', '',
                        $(if ($refund) { 'Refund' } else { 'Payment' }), 'Main Street Cafe', 'For Here', $customer, $(if ($customer) { "Guest N$t" }), '', 'ea', '1', 'Physical Item')))
        }
        if (-not $refund) {
            New-Expected -Key $txn -Event 'CompletePayment' -Time $utc -Value $total -Email $(if ($customer) { $email }) -Phone $(if ($customer) { $phone }) -Lines $count
        }
    }
    [IO.File]::WriteAllLines($Path, $lines)
    [IO.File]::WriteAllLines($CustomerPath, $customers)
    $expected
}

<#
A Salesforce leads report: US dates ('11/24/2026 9:53 AM', the report's user zone America/Los_Angeles), Phone and
Mobile, and leads whose email is mistyped but whose phone is good. Each lead is its own event (no order id).
#>
function New-SalesforceLeadsReport {
    param([Parameter(Mandatory)] [string] $Path, [int] $Leads = 16)
    $pacific = [TimeZoneInfo]::FindSystemTimeZoneById('America/Los_Angeles')
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add((ConvertTo-CsvLine 'Lead ID', 'First Name', 'Last Name', 'Title', 'Company', 'Email', 'Phone', 'Mobile', 'Lead Source', 'Lead Status', 'Create Date', 'Lead Owner'))
    $us = [Globalization.CultureInfo]::GetCultureInfo('en-US')
    $expected = foreach ($n in 1..$Leads) {
        $utc = $script:Now.AddMinutes(71 * $n)
        $local = [TimeZoneInfo]::ConvertTime($utc, $pacific)
        $badEmail = $n % 4 -eq 0
        $email = if ($badEmail) { "lead$n@example" } else { "Lead.$n@Example.net" }
        $phone = if ($n % 3 -eq 0) { '' } else { '(415) 555-{0:0000}' -f (3000 + $n) }
        $mobile = if ($n % 2 -eq 0) { '+1 628 555 {0:0000}' -f (4000 + $n) } else { '' }
        $lines.Add((ConvertTo-CsvLine ('00Q5e00000{0:00000}' -f $n), "First$n", "Last$n", 'Manager', "Company $n", $email, $phone, $mobile, 'Trade Show', 'Open - Not Contacted',
                $local.ToString('M/d/yyyy h:mm tt', $us), 'Dana Seller'))
        New-Expected -Key ('00Q5e00000{0:00000}' -f $n) -Event 'SubmitForm' -Time ([DateTimeOffset]::new($utc.Year, $utc.Month, $utc.Day, $utc.Hour, $utc.Minute, 0, [TimeSpan]::Zero)) -Value 0 `
            -Email $(if (-not $badEmail) { $email }) -Phone $phone, $mobile
    }
    [IO.File]::WriteAllLines($Path, $lines)
    $expected
}

<#
A call-center log: the start as epoch seconds, the caller's number (or 'Anonymous' when withheld), and a Disposition
in the center's own words, mapped to TikTok events with -EventTypeMap ('No Sale' and 'Voicemail' skipped).
#>
function New-CallCenterLog {
    param([Parameter(Mandatory)] [string] $Path, [int] $Calls = 20)
    $dispositions = 'Sale', 'Callback Requested', 'No Sale', 'Sale', 'Voicemail'
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add((ConvertTo-CsvLine 'Call ID', 'Start Time (UTC)', 'Caller ID', 'Direction', 'Duration (s)', 'Queue', 'Agent', 'Disposition', 'Order Value', 'Recording'))
    $expected = foreach ($c in 1..$Calls) {
        $utc = $script:Now.AddMinutes(29 * $c)
        $withheld = $c % 10 -eq 0
        $caller = if ($withheld) { 'Anonymous' } else { '+4420 7946 {0:0000}' -f (1000 + $c) }
        $disposition = $dispositions[$c % $dispositions.Count]
        $value = if ($disposition -eq 'Sale') { [decimal](20 + $c) } else { [decimal]0 }
        $lines.Add((ConvertTo-CsvLine ('CALL-{0:00000}' -f $c), $utc.ToUnixTimeSeconds(), $caller, 'Inbound', (60 + 7 * $c), 'Sales UK', "Agent $($c % 3)", $disposition,
                $(if ($value) { '{0:0.00}' -f $value }), "rec/$c.wav"))
        $event = @{ 'Sale' = 'CompletePayment'; 'Callback Requested' = 'Contact' }[$disposition]
        if ($event) { New-Expected -Key ('CALL-{0:00000}' -f $c) -Event $event -Time $utc -Value $value -Phone $(if (-not $withheld) { $caller }) }
    }
    [IO.File]::WriteAllLines($Path, $lines)
    $expected
}

<#
A European shop's Excel sheet saved as CSV: semicolons, Windows-1252, German headers and dates ('03.11.2026 14:22',
Europe/Berlin), decimal commas ('12,50'), national phone numbers (region DE).
#>
function New-EuropeanExcelExport {
    param([Parameter(Mandatory)] [string] $Path, [int] $Orders = 10)
    $berlin = [TimeZoneInfo]::FindSystemTimeZoneById('Europe/Berlin')
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add((ConvertTo-CsvLine 'Bestellnummer', 'Datum', 'Kunde', 'E-Mail', 'Telefon', 'Artikelnummer', 'Artikel', 'Menge', 'Betrag', 'Währung', 'Filiale' -Delimiter ';'))
    $de = [Globalization.CultureInfo]::GetCultureInfo('de-DE')
    $expected = foreach ($o in 1..$Orders) {
        $utc = $script:Now.AddMinutes(41 * $o)
        $local = [TimeZoneInfo]::ConvertTime($utc, $berlin)
        $amount = [decimal]12.5 + $o
        $email = "kunde$o@beispiel.de"
        $phone = '0151 2345{0:0000}' -f (6000 + $o)
        $lines.Add((ConvertTo-CsvLine ('B-{0:0000}' -f (2000 + $o)), $local.ToString('dd.MM.yyyy HH:mm', $de), "Jürgen Müller $o", $email, $phone, "ART-$o", 'Kaffeemühle Größe M', '1',
                $amount.ToString('0.00', $de), 'EUR', 'Köln' -Delimiter ';'))
        New-Expected -Key ('B-{0:0000}' -f (2000 + $o)) -Event 'CompletePayment' -Time ([DateTimeOffset]::new($utc.Year, $utc.Month, $utc.Day, $utc.Hour, $utc.Minute, 0, [TimeSpan]::Zero)) `
            -Value $amount -Email $email -Phone $phone
    }
    [IO.File]::WriteAllLines($Path, $lines, [Text.Encoding]::GetEncoding(1252))
    $expected
}

<#
The recipes as documented: each 'Recipe:' example of Get-Help Send-OfflineEvent -Examples, by the name of its splat, with
its assignments (the splat, and Square's join): every statement but the one that sends.
#>
function Get-ExportRecipe {
    $recipes = @{}
    foreach ($example in @((Get-Help Send-OfflineEvent -Examples).Examples.Example | Where-Object Title -Match 'Recipe:')) {
        $ast = [Management.Automation.Language.Parser]::ParseInput($example.Code, [ref]$null, [ref]$null)
        $setup = @($ast.EndBlock.Statements | Where-Object { -not $_.Find({ param($n) $n -is [Management.Automation.Language.CommandAst] -and $n.GetCommandName() -eq 'Send-OfflineEvent' }, $true) })
        $splat = @($setup | Where-Object { $_ -is [Management.Automation.Language.AssignmentStatementAst] })[-1].Left.VariablePath.UserPath
        $recipes[$splat] = [pscustomobject]@{ Code = $example.Code; Assignments = @($setup.Extent.Text); Splat = $splat }
    }
    $recipes
}

<# Runs a recipe's assignments with the example's file names (.\orders_export.csv) pointed at -Files; returns its splat and rows (a join). #>
function Invoke-ExportRecipe {
    param([Parameter(Mandatory)] [hashtable] $Recipes, [Parameter(Mandatory)] [string] $Name, [Parameter(Mandatory)] [hashtable] $Files)
    $recipe = $Recipes[$Name]
    $vars = @{}
    foreach ($text in $recipe.Assignments) {
        foreach ($f in $Files.Keys) { $text = $text.Replace(".\$f", "'$($Files[$f])'") }
        . ([scriptblock]::Create($text))
    }
    foreach ($v in 'rows', $Name) { if (Test-Path "variable:$v") { $vars[$v] = Get-Variable $v -ValueOnly } }
    $vars
}

Export-ModuleMember -Function New-ShopifyOrdersExport, New-SquareItemSalesExport, New-SalesforceLeadsReport, New-CallCenterLog, New-EuropeanExcelExport, Get-ExportRecipe, Invoke-ExportRecipe
