using System;
using System.Collections.Generic;
using System.Linq;
using OfflineEvents.Core.Pii;
using OfflineEvents.Core.Rules;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// Finds the email, phone and external id columns of a row by the header spellings people use, or by
    /// the names the user gave. Names compare ignoring case, spaces, '-', '_' and '.', so 'Email Address',
    /// 'E-mail', 'email_address' and 'Email ' (trailing space) all match.
    /// </summary>
    internal static class PiiColumns
    {
        public static bool TryDetect(string propertyName, out PiiField field) => ColumnAliases.TryResolvePii(propertyName, out field);

        /// <summary>The property that best matches a user-given name: exact, then ignoring case, then ignoring case and outer spaces.</summary>
        public static string? Match(IReadOnlyList<string> properties, string wanted)
        {
            return properties.FirstOrDefault(p => p == wanted)
                ?? properties.FirstOrDefault(p => string.Equals(p, wanted, StringComparison.OrdinalIgnoreCase))
                ?? properties.FirstOrDefault(p => string.Equals(p.Trim(), wanted.Trim(), StringComparison.OrdinalIgnoreCase));
        }
    }
}
