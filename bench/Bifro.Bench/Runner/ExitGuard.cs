using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Bifro.Bench.Runner;

/// <summary>
/// Leaves nothing behind when <c>compare</c> is stopped by a signal (Ctrl-C, <c>kill -TERM</c>, a closed
/// terminal). Normal endings and exceptions clean up in <c>finally</c> blocks; a signal would skip them, and a
/// runner started in the background does not share its process group with a terminal that would signal the
/// brokers too. So every broker process is tracked from its start until it has exited, and every other
/// resource (the PostgreSQL server, the run's database) registers a cleanup. On SIGINT, SIGTERM, SIGHUP or
/// SIGQUIT the handler stops the brokers (SIGTERM, then SIGKILL after the grace), runs the cleanups, newest
/// first, and exits with 128 + the signal number. SIGKILL of the runner cannot be caught: the run log names
/// every pid it started.
/// </summary>
internal static class ExitGuard
{
    private static readonly TimeSpan s_grace = TimeSpan.FromSeconds(10);
    private static readonly Lock s_lock = new();
    private static readonly HashSet<Process> s_processes = [];
    private static readonly List<(int Id, Action Cleanup)> s_cleanups = [];
    private static readonly List<PosixSignalRegistration> s_registrations = [];
    private static int s_nextId;
    private static int s_exiting;

    /// <summary>Where the handler reports what it does (the run log once it is open).</summary>
    public static TextWriter Log { get; set; } = Console.Error;

    /// <summary>Installs the signal handlers; idempotent.</summary>
    public static void Install()
    {
        lock (s_lock)
        {
            if (s_registrations.Count > 0)
            {
                return;
            }

            foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT })
            {
                s_registrations.Add(PosixSignalRegistration.Create(signal, OnSignal));
            }
        }
    }

    /// <summary>True once a signal's cleanup has begun: start nothing new.</summary>
    public static bool Exiting => Volatile.Read(ref s_exiting) == 1;

    public static void Track(Process process)
    {
        lock (s_lock)
        {
            s_processes.Add(process);
        }

        if (Exiting)
        {
            // Started just as the signal came, after the handler took its list: stop it here.
            NativeMethods.Kill(process.Id, NativeMethods.SigTerm);
        }
    }

    public static void Untrack(Process process)
    {
        lock (s_lock)
        {
            s_processes.Remove(process);
        }
    }

    /// <summary>Registers <paramref name="cleanup"/> to run on a signal; disposing the result unregisters it.</summary>
    public static IDisposable AddCleanup(Action cleanup)
    {
        lock (s_lock)
        {
            var id = ++s_nextId;
            s_cleanups.Add((id, cleanup));
            return new Registration(id);
        }
    }

    /// <summary>
    /// Called where the runner is about to return: if a signal's cleanup is under way, waits for it (it ends
    /// the process), so that returning from Main does not cut it short.
    /// </summary>
    public static void WaitForSignalCleanup()
    {
        if (Exiting)
        {
            Thread.Sleep(Timeout.Infinite);
        }
    }

    private static void OnSignal(PosixSignalContext context)
    {
        // The default action would end the process before anything below ran.
        context.Cancel = true;
        if (Interlocked.Exchange(ref s_exiting, 1) == 1)
        {
            return; // Already cleaning up: a second Ctrl-C does not cut it short.
        }

        var code = context.Signal switch
        {
            PosixSignal.SIGINT => 130,
            PosixSignal.SIGTERM => 143,
            PosixSignal.SIGHUP => 129,
            _ => 131,
        };
        Process[] processes;
        (int Id, Action Cleanup)[] cleanups;
        lock (s_lock)
        {
            processes = [.. s_processes];
            cleanups = [.. s_cleanups];
        }

        Log.WriteLine($"bifro-bench: {context.Signal}; stopping {processes.Count(p => !p.HasExited)} broker process(es) and cleaning up");
        StopAll(processes);
        for (var i = cleanups.Length - 1; i >= 0; i--)
        {
            try
            {
                cleanups[i].Cleanup();
            }
            catch (Exception e)
            {
                Log.WriteLine($"bifro-bench: cleanup failed: {e.Message}");
            }
        }

        Log.Flush();
        Environment.Exit(code);
    }

    private static void StopAll(Process[] processes)
    {
        foreach (var process in processes.Where(p => !p.HasExited))
        {
            NativeMethods.Kill(process.Id, NativeMethods.SigTerm);
        }

        var waited = Stopwatch.StartNew();
        foreach (var process in processes)
        {
            var left = s_grace - waited.Elapsed;
            if (!process.WaitForExit(left > TimeSpan.Zero ? left : TimeSpan.Zero))
            {
                Log.WriteLine($"bifro-bench: pid {process.Id} ignored SIGTERM; killing it");
                process.Kill(entireProcessTree: true);
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }
        }
    }

    private sealed class Registration(int id) : IDisposable
    {
        public void Dispose()
        {
            lock (s_lock)
            {
                s_cleanups.RemoveAll(c => c.Id == id);
            }
        }
    }
}
