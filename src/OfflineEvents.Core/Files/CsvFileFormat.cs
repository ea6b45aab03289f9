using System.Text;

namespace OfflineEvents.Core.Files
{
    /// <summary>
    /// How a source file is written, for files as Excel and POS systems save them (-Encoding, -Delimiter). The
    /// default is TikTok's own layout: UTF-8, checked strictly, and commas.
    /// </summary>
    public sealed class CsvFileFormat
    {
        public CsvFileFormat(Encoding? encoding = null, char delimiter = ',')
        {
            // UTF-8 named explicitly is the default: strictly checked, never decoded with replacement characters.
            Encoding = encoding != null && encoding.CodePage == Encoding.UTF8.CodePage ? null : encoding;
            Delimiter = delimiter;
        }

        /// <summary>UTF-8 and comma-delimited.</summary>
        public static CsvFileFormat Default { get; } = new CsvFileFormat();

        /// <summary>The encoding the file is read in; null: UTF-8, and a byte that is not UTF-8 refuses the file.</summary>
        public Encoding? Encoding { get; }

        public char Delimiter { get; }

        /// <summary>A UTF-16 or UTF-32 encoding, which a byte order mark of that kind is expected with.</summary>
        internal bool IsWide => Encoding != null && (Encoding.CodePage == 1200 || Encoding.CodePage == 1201 || Encoding.CodePage == 12000 || Encoding.CodePage == 12001);
    }
}
