namespace Bifro.Runtime.Tests.Grains;

/// <summary>A grain state record for calling storage providers directly.</summary>
public sealed class TestGrainState<T> : IGrainState<T>
{
    public TestGrainState(T state, string? etag = null)
    {
        State = state;
        ETag = etag;
    }

    public T State { get; set; }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}
