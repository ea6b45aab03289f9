using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.InteropServices;

namespace OfflineEvents.PS.Infrastructure
{
    /// <summary>
    /// Loads OfflineEvents.Core and the third-party DLLs it needs (Polly, CsvHelper, ...) from the module's
    /// <c>dependencies/</c> folder. On PowerShell 7 they go into a private AssemblyLoadContext, so a session
    /// that already loaded another version of Polly or CsvHelper keeps its copy and this module gets its own.
    /// On Windows PowerShell 5.1 they are loaded by path; strong names keep versions apart there.
    /// The cmdlet assembly references only OfflineEvents.Core, whose resolution is the entry point.
    /// The journal's native SQLite (e_sqlite3) is ours too: the copy for this platform under
    /// <c>dependencies/runtimes/&lt;rid&gt;/native/</c>, bound to our SQLitePCLRaw provider by a DllImport resolver on
    /// PowerShell 7 (consulted before any probing, so a library another module loaded cannot stand in), and loaded
    /// by path before first use on Windows PowerShell 5.1 (Windows then binds the provider's "e_sqlite3" to it).
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object s_gate = new object();
        private static readonly string s_dependencyFolder =
            Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? ".", "dependencies");
        private static Dictionary<string, string>? s_dependencies;
        private static LoadContextProxy? s_loadContext;
        private static bool s_registered;
        private static string? s_nativeSqlite;
        private static bool s_nativeBound;
        private static IntPtr s_nativeHandle;
        private static MethodInfo? s_loadNative;

        public void OnImport()
        {
            lock (s_gate)
            {
                if (s_registered) return;
                s_dependencies = IndexDependencies();
                s_loadContext = LoadContextProxy.TryCreate("OfflineEvents.PS");
                s_nativeSqlite = NativeSqlitePath();
                if (s_loadContext == null && s_nativeSqlite != null && RuntimeInformation.IsOSPlatform(OSPlatform.Windows)) LoadLibraryW(s_nativeSqlite);
                AppDomain.CurrentDomain.AssemblyResolve += Resolve;
                s_registered = true;
            }
        }

        public void OnRemove(PSModuleInfo psModuleInfo)
        {
            lock (s_gate)
            {
                AppDomain.CurrentDomain.AssemblyResolve -= Resolve;
                s_registered = false;
            }
        }

        private static Dictionary<string, string> IndexDependencies()
        {
            var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            if (Directory.Exists(s_dependencyFolder))
            {
                foreach (string path in Directory.EnumerateFiles(s_dependencyFolder, "*.dll"))
                {
                    map[Path.GetFileNameWithoutExtension(path)] = path;
                }
            }
            return map;
        }

        private static Assembly? Resolve(object? sender, ResolveEventArgs args)
        {
            var wanted = new AssemblyName(args.Name);
            if (wanted.Name == null || s_dependencies == null || !s_dependencies.TryGetValue(wanted.Name, out string? path))
            {
                return null;
            }
            // Act only for this module: its own cmdlet assembly or something already loaded from dependencies/.
            var requester = args.RequestingAssembly;
            if (requester != null && requester != typeof(ModuleInitializer).Assembly && !IsOurDependency(requester))
            {
                return null;
            }
            if (s_loadContext == null)
            {
                return Assembly.LoadFrom(path);
            }
            // A load context built by reflection cannot override Load(), and its fallback is the default
            // context, where another module's Polly or CsvHelper may already sit (every Polly 8.x is assembly
            // version 8.0.0.0, so it would bind silently). The context's own cache is consulted first, so
            // loading our third-party DLLs into it before anything references them keeps them ours.
            s_loadContext.Preload(s_dependencies.Where(d => !IsRuntimeProvided(d.Key)).Select(d => d.Value));
            BindNativeSqlite();
            return s_loadContext.LoadFromAssemblyPath(path);
        }

        /// <summary>dependencies/runtimes/&lt;rid&gt;/native/ for the running OS and process architecture; null when not shipped.</summary>
        internal static string? NativeSqlitePath()
        {
            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows), mac = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);
            string os = windows ? "win" : mac ? "osx" : IsMusl() ? "linux-musl" : "linux";
            string arch = RuntimeInformation.ProcessArchitecture switch
            {
                Architecture.X86 => "x86",
                Architecture.Arm64 => "arm64",
                Architecture.Arm => "arm",
                _ => "x64",
            };
            string file = windows ? "e_sqlite3.dll" : mac ? "libe_sqlite3.dylib" : "libe_sqlite3.so";
            string path = Path.Combine(s_dependencyFolder, "runtimes", os + "-" + arch, "native", file);
            return File.Exists(path) ? path : null;
        }

        private static bool IsMusl()
        {
            try
            {
                return Directory.Exists("/lib") && Directory.EnumerateFiles("/lib", "ld-musl-*").Any();
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
        }

        /// <summary>On .NET (PowerShell 7): NativeLibrary.SetDllImportResolver on our copy of SQLitePCLRaw's provider, by reflection (not in netstandard2.0).</summary>
        private static void BindNativeSqlite()
        {
            if (s_nativeBound || s_nativeSqlite == null || s_loadContext == null) return;
            s_nativeBound = true;
            Assembly? provider = s_loadContext.Loaded("SQLitePCLRaw.provider.e_sqlite3");
            Type? nativeLibrary = typeof(object).Assembly.GetType("System.Runtime.InteropServices.NativeLibrary");
            Type? resolverType = typeof(object).Assembly.GetType("System.Runtime.InteropServices.DllImportResolver");
            if (provider == null || nativeLibrary == null || resolverType == null) return;
            s_loadNative = nativeLibrary.GetMethod("Load", new[] { typeof(string) });
            MethodInfo? setResolver = nativeLibrary.GetMethod("SetDllImportResolver", new[] { typeof(Assembly), resolverType });
            MethodInfo? resolve = typeof(ModuleInitializer).GetMethod(nameof(ResolveNative), BindingFlags.NonPublic | BindingFlags.Static);
            if (s_loadNative == null || setResolver == null || resolve == null) return;
            setResolver.Invoke(null, new object[] { provider, Delegate.CreateDelegate(resolverType, resolve) });
        }

        private static IntPtr ResolveNative(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
        {
            if (!string.Equals(libraryName, "e_sqlite3", StringComparison.Ordinal) || s_nativeSqlite == null || s_loadNative == null) return IntPtr.Zero;
            lock (s_gate)
            {
                if (s_nativeHandle == IntPtr.Zero) s_nativeHandle = (IntPtr)s_loadNative.Invoke(null, new object[] { s_nativeSqlite })!;
                return s_nativeHandle;
            }
        }

        [DllImport("kernel32", CharSet = CharSet.Unicode, SetLastError = true)]
        private static extern IntPtr LoadLibraryW(string path);

        /// <summary>netstandard shims of what .NET (Core) has built in; loading our copies would split type identities.</summary>
        private static bool IsRuntimeProvided(string name) =>
            name.StartsWith("System.", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "Microsoft.Bcl.AsyncInterfaces", StringComparison.OrdinalIgnoreCase)
            || string.Equals(name, "netstandard", StringComparison.OrdinalIgnoreCase);

        private static bool IsOurDependency(Assembly assembly)
        {
            try
            {
                string? location = Path.GetDirectoryName(assembly.Location);
                return location != null && string.Equals(Path.GetFullPath(location), Path.GetFullPath(s_dependencyFolder), StringComparison.OrdinalIgnoreCase);
            }
            catch (NotSupportedException)
            {
                return false;
            }
        }

        /// <summary>AssemblyLoadContext is not in netstandard2.0; reach it by reflection where the runtime has it.</summary>
        private sealed class LoadContextProxy
        {
            private readonly object _context;
            private readonly MethodInfo _loadFromPath;
            private readonly Dictionary<string, Assembly> _loaded = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);

            private LoadContextProxy(object context, MethodInfo loadFromPath)
            {
                _context = context;
                _loadFromPath = loadFromPath;
            }

            public static LoadContextProxy? TryCreate(string name)
            {
                Type? alc = typeof(object).Assembly.GetType("System.Runtime.Loader.AssemblyLoadContext");
                ConstructorInfo? ctor = alc?.GetConstructor(new[] { typeof(string), typeof(bool) });
                MethodInfo? load = alc?.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
                return ctor == null || load == null ? null : new LoadContextProxy(ctor.Invoke(new object[] { name, false }), load);
            }

            public Assembly? Loaded(string name)
            {
                lock (_loaded) return _loaded.Values.FirstOrDefault(a => string.Equals(a.GetName().Name, name, StringComparison.OrdinalIgnoreCase));
            }

            public void Preload(IEnumerable<string> paths)
            {
                foreach (string path in paths) LoadFromAssemblyPath(path);
            }

            public Assembly LoadFromAssemblyPath(string path)
            {
                lock (_loaded)
                {
                    if (!_loaded.TryGetValue(path, out var assembly))
                    {
                        assembly = (Assembly)_loadFromPath.Invoke(_context, new object[] { path })!;
                        _loaded[path] = assembly;
                    }
                    return assembly;
                }
            }
        }
    }
}
