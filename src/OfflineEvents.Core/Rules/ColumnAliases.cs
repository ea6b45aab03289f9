using System.Collections.Generic;
using OfflineEvents.Core.Pii;

namespace OfflineEvents.Core.Rules
{
    /// <summary>
    /// The header spellings people use for each column, for pipeline objects and for the files Send-OfflineEvent
    /// reads (TikTok's manual upload itself wants the exact names). Names compare folded: lowercase letters and
    /// digits only, so 'Email Address', 'E-mail', 'email_address' and 'Email ' (trailing space) are one name.
    /// </summary>
    public static class ColumnAliases
    {
        private static readonly Dictionary<string, string> ByFoldedName = Build(
            (OfflineEventColumns.EventType, new[] { "eventtype", "event", "eventname", "conversionevent", "conversiontype" }),
            (OfflineEventColumns.Email, new[] { "email", "emailaddress", "emailaddr", "mail", "emails", "useremail", "customeremail", "hashedemail", "emailsha256", "sha256email" }),
            (OfflineEventColumns.Phone, new[] { "phone", "phonenumber", "phoneno", "phones", "mobile", "mobilenumber", "mobilephone", "cell", "cellphone", "cellnumber", "telephone", "telephonenumber", "tel", "msisdn", "customerphone", "hashedphone", "phonesha256", "sha256phone" }),
            (OfflineEventColumns.Timestamp, new[] { "timestamp", "eventtime", "eventtimestamp", "datetime", "occurredat", "purchasedat", "transactiontime" }),
            (OfflineEventColumns.Price, new[] { "price", "unitprice" }),
            (OfflineEventColumns.Currency, new[] { "currency", "currencycode" }),
            (OfflineEventColumns.TransactionCategory, new[] { "transactioncategory" }),
            (OfflineEventColumns.OrderId, new[] { "orderid", "ordernumber", "orderno", "order", "transactionid" }),
            (OfflineEventColumns.Quantity, new[] { "quantity", "qty" }),
            (OfflineEventColumns.ProductId, new[] { "productid", "sku", "contentid", "itemid" }),
            (OfflineEventColumns.ProductCategory, new[] { "productcategory", "contentcategory", "category" }),
            (OfflineEventColumns.StoreId, new[] { "storeid", "shopid", "store", "locationid" }),
            (OfflineEventColumns.ExternalId, new[] { "externalid", "externalids", "externaluserid", "hashedexternalid" }),
            (OfflineEventColumns.EventId, new[] { "eventid" }),
            // A time-of-day column is half a timestamp: with a date column beside it, the two make one.
            (OfflineEventColumns.Date, new[] { "date" }),
            (OfflineEventColumns.Time, new[] { "time" }),
            (OfflineEventColumns.TimeZone, new[] { "timezone" }));

        private static Dictionary<string, string> Build(params (string Column, string[] Names)[] groups)
        {
            var map = new Dictionary<string, string>(System.StringComparer.Ordinal);
            foreach (var (column, names) in groups)
            {
                foreach (string n in names) map[n] = column;
            }
            return map;
        }

        /// <summary>Lowercase letters and digits of a name, nothing else.</summary>
        public static string Fold(string name)
        {
            var chars = new char[name.Length];
            int n = 0;
            foreach (char c in name)
            {
                if (char.IsLetterOrDigit(c)) chars[n++] = char.ToLowerInvariant(c);
            }
            return new string(chars, 0, n);
        }

        /// <summary>The standard column a header spelling means, if any.</summary>
        public static bool TryResolve(string? header, out string column)
        {
            column = string.Empty;
            if (header == null) return false;
            if (!ByFoldedName.TryGetValue(Fold(header), out string? found)) return false;
            column = found;
            return true;
        }

        /// <summary>Whether a header spelling names an email, phone or external id column.</summary>
        public static bool TryResolvePii(string? header, out PiiField field)
        {
            field = default;
            if (!TryResolve(header, out string column)) return false;
            switch (column)
            {
                case OfflineEventColumns.Email: field = PiiField.Email; return true;
                case OfflineEventColumns.Phone: field = PiiField.Phone; return true;
                case OfflineEventColumns.ExternalId: field = PiiField.ExternalId; return true;
                default: return false;
            }
        }
    }
}
