namespace Bifro.Runtime.Tests.Grains;

public interface IMessagingGrain : IGrainWithStringKey
{
    /// <summary>Returns at once to the caller, then waits for the gate "finish" and records "finished".</summary>
    [OneWay]
    Task FireAndForgetAsync();

    /// <summary>Records "threw", then throws.</summary>
    [OneWay]
    Task FireAndThrowAsync();

    /// <summary>The request context value under <paramref name="key"/>, as this grain sees it.</summary>
    Task<string?> GetContextValueAsync(string key);

    /// <summary>Sets a value in its own request context, then returns what it sees.</summary>
    Task<string?> ChangeContextAsync(string key, string value);

    /// <summary>Asks another grain what it sees under <paramref name="key"/>.</summary>
    Task<string?> GetContextValueThroughAsync(string otherKey, string key);

    /// <summary>The request context keys this grain sees.</summary>
    Task<string[]> GetContextKeysAsync();

    /// <summary>Throws an exception of the kind named: "test", "argument", "invalid", "unknown".</summary>
    Task ThrowAsync(string kind, string message);

    /// <summary>Never answers until the probe's gate "answer" opens.</summary>
    Task HangAsync();

    /// <summary>Calls another grain's ThrowAsync and lets its exception through.</summary>
    Task ThrowThroughAsync(string otherKey, string kind, string message);
}

/// <summary>An exception type a receiver cannot rebuild: it has no (string message) constructor.</summary>
public sealed class UnrebuildableException : Exception
{
    public UnrebuildableException(int code)
        : base($"failure {code}")
    {
    }
}

public sealed class MessagingGrain : Grain, IMessagingGrain
{
    private readonly Probe _probe;

    public MessagingGrain() => _probe = Probe.For(this.GetPrimaryKeyString());

    public async Task FireAndForgetAsync()
    {
        _probe.Record("started");
        await _probe.Gate("finish").Task;
        _probe.Record("finished");
    }

    public Task FireAndThrowAsync()
    {
        _probe.Record("threw");
        throw new TestException("one-way failure");
    }

    public Task<string?> GetContextValueAsync(string key) => Task.FromResult(RequestContext.Get(key) as string);

    public Task<string?> ChangeContextAsync(string key, string value)
    {
        RequestContext.Set(key, value);
        RequestContext.Remove("other");
        return Task.FromResult(RequestContext.Get(key) as string);
    }

    public Task<string?> GetContextValueThroughAsync(string otherKey, string key) =>
        GrainFactory.GetGrain<IMessagingGrain>(otherKey).GetContextValueAsync(key);

    public Task<string[]> GetContextKeysAsync() => Task.FromResult(RequestContext.Keys.ToArray());

    public Task ThrowAsync(string kind, string message) => kind switch
    {
        "test" => throw new TestException(message),
        "argument" => throw new ArgumentException(message),
        "invalid" => throw new InvalidOperationException(message),
        _ => throw new UnrebuildableException(message.Length),
    };

    public Task HangAsync() => _probe.Gate("answer").Task;

    public Task ThrowThroughAsync(string otherKey, string kind, string message) =>
        GrainFactory.GetGrain<IMessagingGrain>(otherKey).ThrowAsync(kind, message);
}
