using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>-Path (wildcards) and -LiteralPath, resolved to file system paths as Import-Csv does.</summary>
    internal static class FilePaths
    {
        /// <summary>Resolves the paths; a path that matches nothing is a non-terminating ObjectNotFound error.</summary>
        public static List<string> Resolve(PSCmdlet cmdlet, IEnumerable<string>? paths, bool literal)
        {
            var resolved = new List<string>();
            foreach (string path in paths ?? Array.Empty<string>())
            {
                try
                {
                    if (literal)
                    {
                        string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
                        if (!File.Exists(full) && !Directory.Exists(full)) throw new ItemNotFoundException($"Cannot find path '{path}' because it does not exist.");
                        resolved.Add(full);
                        continue;
                    }
                    var matches = cmdlet.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                    if (provider.Name != "FileSystem")
                    {
                        cmdlet.WriteError(new ErrorRecord(new ArgumentException($"'{path}' is not a file system path."), ErrorIds.NotAFileSystemPath, ErrorCategory.InvalidArgument, path));
                        continue;
                    }
                    if (matches.Count == 0)
                    {
                        throw new ItemNotFoundException($"No file matches '{path}'.");
                    }
                    resolved.AddRange(matches);
                }
                catch (ItemNotFoundException ex)
                {
                    cmdlet.WriteError(new ErrorRecord(ex, ErrorIds.FileNotFound, ErrorCategory.ObjectNotFound, path));
                }
            }
            return resolved;
        }
    }
}
