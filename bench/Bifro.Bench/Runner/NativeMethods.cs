using System.Runtime.InteropServices;

namespace Bifro.Bench.Runner;

/// <summary>
/// POSIX kill(2): <see cref="System.Diagnostics.Process.Kill()"/> only sends SIGKILL, and a broker should get
/// SIGTERM first so it can shut down the way it would in production.
/// </summary>
internal static partial class NativeMethods
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
