using System.Diagnostics;
using System.Text;

namespace Bifro.TestKit;

/// <summary>The outcome of a program run by a test.</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut)
{
    public override string ToString() =>
        $"exit {ExitCode}{(TimedOut ? " (timed out)" : string.Empty)}\n--- stdout\n{StandardOutput}\n--- stderr\n{StandardError}";
}

/// <summary>Runs the clients we did not write (mosquitto_pub/sub, python3 with paho) with a deadline.</summary>
public static class ExternalProcess
{
    /// <summary>
    /// Runs <paramref name="fileName"/> to completion, or kills it at <paramref name="timeout"/>; <paramref name="environment"/>
    /// adds to the test's environment variables.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? standardInput = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(fileName, arguments, redirectInput: standardInput is not null, environment);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput).ConfigureAwait(false);
            process.StandardInput.Close();
        }

        using var cts = new CancellationTokenSource(timeout);
        var timedOut = false;
        try
        {
            await process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            timedOut = true;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().ConfigureAwait(false);
        }

        // The asynchronous readers finish after exit; WaitForExit without a timeout drains them.
        process.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return new ProcessResult(timedOut ? -1 : process.ExitCode, stdout.ToString(), stderr.ToString(), timedOut);
            }
        }
    }

    /// <summary>A running program whose output lines a test can wait for.</summary>
    public static RunningProcess StartBackground(string fileName, IEnumerable<string> arguments) => new(Start(fileName, arguments, redirectInput: false));

    /// <summary>
    /// env(1) that can reset a signal's handling (coreutils 8.31+), or null. A test run started in the background
    /// by a shell inherits SIGINT ignored, and so would every broker and client it starts: the tests that stop a
    /// node or a mosquitto_sub "as Ctrl+C does" would then wait in vain. Started through
    /// "env --default-signal=INT", a program gets SIGINT back whatever its parent did (env execs it: same pid).
    /// </summary>
    private static readonly Lazy<string?> s_envResettingSigint = new(() =>
    {
        const string env = "/usr/bin/env";
        if (!File.Exists(env))
        {
            return null;
        }

        try
        {
            using var probe = Process.Start(new ProcessStartInfo(env, ["--default-signal=INT", "true"]) { UseShellExecute = false });
            return probe is not null && probe.WaitForExit(10_000) && probe.ExitCode == 0 ? env : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    });

    internal static Process Start(string fileName, IEnumerable<string> arguments, bool redirectInput, IReadOnlyDictionary<string, string>? environment = null)
    {
        var env = s_envResettingSigint.Value;
        var info = new ProcessStartInfo(env ?? fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        if (env is not null)
        {
            info.ArgumentList.Add("--default-signal=INT");
            info.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
    }
}
