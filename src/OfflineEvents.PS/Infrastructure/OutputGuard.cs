using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Text;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// The files a run writes (-RejectPath, Export's output and its parts), so that one that is also an input is
    /// refused before it is read: a run that replaced the file it reads would lose the rows it did not get to.
    /// Files compare by resolved identity: full path, symbolic links followed, case ignored where the file system
    /// usually does (Windows, macOS).
    /// </summary>
    internal sealed class OutputGuard
    {
        private static readonly StringComparer Compare =
            RuntimeInformation.IsOSPlatform(OSPlatform.Windows) || RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        private readonly List<(string Parameter, string Path, string Identity)> _outputs = new List<(string, string, string)>();

        /// <summary>A directory given as an output file is a terminating error with its own id (not "already exists" at the end).</summary>
        public static void RefuseDirectory(PSCmdlet cmdlet, string path, string parameter)
        {
            if (!Directory.Exists(path)) return;
            cmdlet.ThrowTerminatingError(new ErrorRecord(
                new IOException($"{parameter} '{path}' is a directory; give the path of a file, for example '{System.IO.Path.Combine(path, parameter == "-RejectPath" ? "rejects.csv" : "upload.csv")}'."),
                ErrorIds.PathIsDirectory, ErrorCategory.InvalidArgument, path));
        }

        /// <summary>An output file; only one that exists can be an input.</summary>
        public void Add(string parameter, string path)
        {
            if (File.Exists(path)) _outputs.Add((parameter, path, Identity(path)));
        }

        /// <summary>Refuses an input that is one of the outputs, with a terminating error.</summary>
        public void Check(PSCmdlet cmdlet, string input)
        {
            if (_outputs.Count == 0 || !File.Exists(input)) return;
            string identity = Identity(input);
            foreach (var (parameter, path, output) in _outputs)
            {
                if (!Compare.Equals(identity, output)) continue;
                cmdlet.ThrowTerminatingError(new ErrorRecord(
                    new IOException($"The input '{input}' is also the output {parameter} '{path}': the run would replace the file it reads. "
                        + "Write to another file (for example, send rejects.csv with -RejectPath rejects-2.csv)."),
                    ErrorIds.OutputIsInput, ErrorCategory.InvalidArgument, input));
            }
        }

        /// <summary>Whether two paths name one file (resolved as <see cref="Identity"/> does; neither need exist).</summary>
        public static bool SameFile(string a, string b) => Compare.Equals(Identity(a), Identity(b));

        /// <summary>The full path with every symbolic link resolved (realpath on Unix); the full path where that is not available.</summary>
        internal static string Identity(string path)
        {
            string full = System.IO.Path.GetFullPath(path);
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) return full;
            try
            {
                return RealPath(full) ?? full;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return full;
            }
        }

        private static string? RealPath(string path)
        {
            byte[] utf8 = Encoding.UTF8.GetBytes(path + "\0");
            IntPtr resolved = NativeMethods.realpath(utf8, IntPtr.Zero);
            if (resolved == IntPtr.Zero) return null;
            try
            {
                int length = 0;
                while (Marshal.ReadByte(resolved, length) != 0) length++;
                var bytes = new byte[length];
                Marshal.Copy(resolved, bytes, 0, length);
                return Encoding.UTF8.GetString(bytes);
            }
            finally
            {
                NativeMethods.free(resolved);
            }
        }

        private static class NativeMethods
        {
            [DllImport("libc", SetLastError = true)]
            public static extern IntPtr realpath(byte[] path, IntPtr resolved);

            [DllImport("libc")]
            public static extern void free(IntPtr pointer);
        }
    }
}
