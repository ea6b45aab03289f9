using System;
using System.Collections.Generic;
using System.Linq;
using OfflineEvents.Core.Pii;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// Finds the email, phone and external id columns of a row by the header spellings people use, or by
    /// the names the user gave. Names compare ignoring case, spaces, '-', '_' and '.', so 'Email Address',
    /// 'E-mail', 'email_address' and 'Email ' (trailing space) all match.
    /// </summary>
    internal static class PiiColumns
    {
        private static readonly Dictionary<string, PiiField> KnownNames = Build(
            (PiiField.Email, new[] { "email", "emailaddress", "emailaddr", "mail", "emails", "useremail", "customeremail", "hashedemail", "emailsha256", "sha256email" }),
            (PiiField.Phone, new[] { "phone", "phonenumber", "phoneno", "phones", "mobile", "mobilenumber", "mobilephone", "cell", "cellphone", "cellnumber", "telephone", "telephonenumber", "tel", "msisdn", "customerphone", "hashedphone", "phonesha256", "sha256phone" }),
            (PiiField.ExternalId, new[] { "externalid", "externalids", "externaluserid", "hashedexternalid" }));

        private static Dictionary<string, PiiField> Build(params (PiiField Field, string[] Names)[] groups)
        {
            var map = new Dictionary<string, PiiField>(StringComparer.Ordinal);
            foreach (var (field, names) in groups)
            {
                foreach (string n in names) map[n] = field;
            }
            return map;
        }

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

        public static bool TryDetect(string propertyName, out PiiField field) => KnownNames.TryGetValue(Fold(propertyName), out field);

        /// <summary>The property that best matches a user-given name: exact, then ignoring case, then ignoring case and outer spaces.</summary>
        public static string? Match(IReadOnlyList<string> properties, string wanted)
        {
            return properties.FirstOrDefault(p => p == wanted)
                ?? properties.FirstOrDefault(p => string.Equals(p, wanted, StringComparison.OrdinalIgnoreCase))
                ?? properties.FirstOrDefault(p => string.Equals(p.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase));
        }
    }
}
