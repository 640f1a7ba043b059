using System.Diagnostics;

namespace Bifro.Bench.Runner;

/// <summary>Runs a helper program (a script, openssl, mosquitto_passwd) to its end and returns its exit code and output.</summary>
internal static class ToolProcess
{
    /// <param name="input">Written to its standard input, which is then closed (null: closed at once).</param>
    public static (int Code, string Output) Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? input = null)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var described = $"{Path.GetFileName(fileName)} {string.Join(' ', start.ArgumentList)}";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not run {described}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            process.StandardInput.Write(input);
        }

        process.StandardInput.Close();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"{described} did not finish within {timeout.TotalSeconds:0} s");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Like <see cref="Run"/>, but a non-zero exit code throws with the output.</summary>
    public static string RunChecked(string fileName, IEnumerable<string> arguments, TimeSpan timeout, string? input = null)
    {
        string[] list = [.. arguments];
        var (code, output) = Run(fileName, list, timeout, input);
        if (code != 0)
        {
            throw new InvalidOperationException($"{Path.GetFileName(fileName)} {list.FirstOrDefault()} failed ({code}): {output.Trim()}");
        }

        return output;
    }
}
