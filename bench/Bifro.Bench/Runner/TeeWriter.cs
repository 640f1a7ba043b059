using System.Text;

namespace Bifro.Bench.Runner;

/// <summary>Writes the progress log to the console and to run.log in the results directory.</summary>
internal sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
{
    public override Encoding Encoding => first.Encoding;

    public override void Write(char value)
    {
        first.Write(value);
        second.Write(value);
    }

    public override void Write(string? value)
    {
        first.Write(value);
        second.Write(value);
    }

    public override void WriteLine(string? value)
    {
        first.WriteLine(value);
        second.WriteLine(value);
        second.Flush(); // the file should hold everything up to a crash or a kill
    }

    public override void Flush()
    {
        first.Flush();
        second.Flush();
    }
}
