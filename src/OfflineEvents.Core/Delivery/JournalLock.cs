using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace OfflineEvents.Core.Delivery
{
    /// <summary>
    /// Holds a journal for one run, from open to close, so that two overlapping runs never both send an event:
    /// the second waits, then gives up. The lock is taken on the journal file itself (its inode), not on a name,
    /// so a symlink, a relative path or another spelling of the same file meets the same lock. SQLite's own locks
    /// last one transaction; a run needs one that lasts from its first lookup to its last batch, and one the OS
    /// drops when a killed process ends. On Unix that is flock(2), which .NET takes for FileShare.None and which
    /// is independent of SQLite's fcntl locks; on Windows (where FileShare.None would shut SQLite out) a byte-range
    /// lock inside SQLite's lock page, which SQLite never reads or writes. (flock is also taken explicitly, as
    /// DOTNET_SYSTEM_IO_DISABLEFILELOCKING turns .NET's off.) While a run holds it, other .NET code cannot open the
    /// file either (File.ReadAllBytes); SQLite readers can.
    /// </summary>
    internal sealed class JournalLock : IDisposable
    {
        // In the page that holds SQLite's PENDING_BYTE (0x40000000) with our 4 KiB pages, past the bytes SQLite locks.
        private const long WindowsLockOffset = 0x40000000L + 0x800;
        private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
        private readonly FileStream _stream;

        private JournalLock(FileStream stream) => _stream = stream;

        /// <summary>Takes the lock, creating an empty file when there is none; throws JournalBusyException after <paramref name="wait"/>.</summary>
        public static JournalLock Acquire(string path, TimeSpan wait)
        {
            var clock = Stopwatch.StartNew();
            bool windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
            while (true)
            {
                FileStream? stream = null;
                try
                {
                    stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, windows ? FileShare.ReadWrite | FileShare.Delete : FileShare.None, 1);
                    if (windows) stream.Lock(WindowsLockOffset, 1);
                    else if (flock(stream.SafeFileHandle.DangerousGetHandle().ToInt32(), LockExclusive | LockNonBlocking) != 0)
                    {
                        int errno = Marshal.GetLastWin32Error();
                        throw new IOException($"flock failed (errno {errno})", errno);
                    }
                    return new JournalLock(stream);
                }
                catch (IOException ex) when (IsHeldByOther(ex))
                {
                    stream?.Dispose();
                    if (clock.Elapsed >= wait)
                    {
                        throw new JournalBusyException(path, wait);
                    }
                    Thread.Sleep(Poll);
                }
                catch
                {
                    stream?.Dispose();
                    throw;
                }
            }
        }

        /// <summary>A sharing or lock violation: EWOULDBLOCK from flock on Unix (11, 35 on macOS), ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION on Windows.</summary>
        private static bool IsHeldByOther(IOException ex)
        {
            int code = ex.HResult & 0xFFFF;
            return ex.GetType() == typeof(IOException) && (code == 11 || code == 35 || code == 32 || code == 33);
        }

        /// <summary>Whether a run holds the journal now (a reader's question; it takes nothing).</summary>
        public static bool IsHeld(string path)
        {
            try
            {
                Acquire(path, TimeSpan.Zero).Dispose();
                return false;
            }
            catch (JournalBusyException)
            {
                return true;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false; // a read-only journal: no run can hold it for writing
            }
        }

        /// <summary>The first bytes of the file, read through the lock's own handle (another handle would meet the lock).</summary>
        public byte[] ReadHead(int count)
        {
            var head = new byte[count];
            _stream.Position = 0;
            int read = 0, n;
            while (read < count && (n = _stream.Read(head, read, count - read)) > 0) read += n;
            Array.Resize(ref head, read);
            return head;
        }

        public void Dispose() => _stream.Dispose();

        private const int LockExclusive = 2, LockNonBlocking = 4;

        [DllImport("libc", SetLastError = true)]
        private static extern int flock(int fd, int operation);
    }
}
