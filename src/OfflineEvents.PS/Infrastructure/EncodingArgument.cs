using System;
using System.Globalization;
using System.Management.Automation;
using System.Text;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// -Encoding of the file routes: the names Import-Csv takes (utf8, unicode, latin1, ansi, oem, Default, ...), any
    /// registered encoding name or code page (windows-1252, 1252), or an Encoding object, as PowerShell 7's own
    /// ArgumentToEncodingTransformation does (that type is not in Windows PowerShell 5.1). PowerShell 7 registers
    /// .NET's code-page encodings itself; .NET Framework has them built in.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class EncodingArgumentAttribute : ArgumentTransformationAttribute
    {
        public const string Names = "utf8, utf8BOM, utf8NoBOM, unicode, bigendianunicode, utf32, bigendianutf32, ascii, latin1, ansi, oem, Default, a name such as windows-1252 or a code page such as 1252";

        public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
        {
            object? value = inputData is PSObject ps ? ps.BaseObject : inputData;
            try
            {
                switch (value)
                {
                    case null:
                    case Encoding _:
                        return value;
                    case int codePage:
                        return Encoding.GetEncoding(codePage);
                    case string name:
                        return FromName(name.Trim());
                    default:
                        return value;
                }
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException)
            {
                throw new ArgumentTransformationMetadataException($"'{value}' is not an encoding this system knows. Give one of: {Names}.", ex);
            }
        }

        private static Encoding FromName(string name)
        {
            switch (name.ToLowerInvariant())
            {
                case "utf8":
                case "utf-8":
                case "utf8bom":
                case "utf8nobom":
                    return new UTF8Encoding(false);
                case "unicode":
                    return Encoding.Unicode;
                case "bigendianunicode":
                    return Encoding.BigEndianUnicode;
                case "utf32":
                    return Encoding.UTF32;
                case "bigendianutf32":
                    return new UTF32Encoding(bigEndian: true, byteOrderMark: true);
                case "ascii":
                    return Encoding.ASCII;
                case "latin1":
                    return Encoding.GetEncoding(28591);
                case "ansi":
                    return Encoding.GetEncoding(CultureInfo.CurrentCulture.TextInfo.ANSICodePage);
                case "oem":
                    return Encoding.GetEncoding(CultureInfo.CurrentCulture.TextInfo.OEMCodePage);
                case "default":
                    // What Import-Csv -Encoding Default reads on this PowerShell: the ANSI code page on 5.1, UTF-8 on 7.
                    return Encoding.Default;
                default:
                    return int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int codePage)
                        ? Encoding.GetEncoding(codePage)
                        : Encoding.GetEncoding(name);
            }
        }
    }
}
