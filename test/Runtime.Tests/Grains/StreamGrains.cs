using Bifro.Runtime.Activation;
using Bifro.Streams;

namespace Bifro.Runtime.Tests.Grains;

/// <summary>A payload type, so tests can tell a delivered copy from the produced object.</summary>
[GenerateSerializer]
public sealed class StreamPayload
{
    [Id(0)]
    public int Value { get; set; }
}

public interface IStreamConsumerGrain : IGrainWithStringKey
{
    /// <summary>Subscribes to the stream ("explicit", its own key) of provider "mem".</summary>
    Task<Guid> SubscribeAsync();

    Task<int> CountHandlesAsync();

    Task UnsubscribeAllAsync();

    /// <summary>A request that holds the grain's turn until the probe's gate "release" opens.</summary>
    Task HoldAsync();

    Task DeactivateAsync();
}

/// <summary>
/// Consumes the stream ("explicit", its own key) and reports to the probe of its key: "activate",
/// "item:{n}", "completed", "error:{message}", and problems ("off-turn", "during-request"). It resumes
/// its subscriptions when it activates unless the probe's setting "no-resume" is present; its observer
/// waits for the gate "slow" if the setting "slow" is present.
/// </summary>
public sealed class StreamConsumerGrain : Grain, IStreamConsumerGrain, IAsyncObserver<object>
{
    public const string Namespace = "explicit";

    private readonly Probe _probe;
    private bool _inRequest;

    public StreamConsumerGrain() => _probe = Probe.For(this.GetPrimaryKeyString());

    private IAsyncStream<object> Stream => this.GetStreamProvider("mem").GetStream<object>(Namespace, this.GetPrimaryKeyString());

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _probe.Record("activate");
        if (_probe.Settings.ContainsKey("no-resume"))
        {
            return;
        }

        foreach (var handle in await Stream.GetAllSubscriptionHandles())
        {
            await handle.ResumeAsync(this);
            _probe.Record("resumed");
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _probe.Record("deactivate");
        return Task.CompletedTask;
    }

    public async Task<Guid> SubscribeAsync() => (await Stream.SubscribeAsync(this)).HandleId;

    public async Task<int> CountHandlesAsync() => (await Stream.GetAllSubscriptionHandles()).Count;

    public async Task UnsubscribeAllAsync()
    {
        foreach (var handle in await Stream.GetAllSubscriptionHandles())
        {
            await handle.UnsubscribeAsync();
        }
    }

    public async Task HoldAsync()
    {
        _inRequest = true;
        try
        {
            _probe.Record("holding");
            await _probe.Gate("release").Task;
        }
        finally
        {
            _inRequest = false;
        }
    }

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task OnNextAsync(object item, StreamSequenceToken? token = null)
    {
        CheckTurn();
        if (_probe.Settings.ContainsKey("slow"))
        {
            _probe.Record("slow-waiting");
            await _probe.Gate("slow").Task;
        }

        _probe.Keep(item);
        _probe.Record(item is StreamPayload payload ? $"item:{payload.Value}" : $"item:{item}");
    }

    public Task OnCompletedAsync()
    {
        CheckTurn();
        _probe.Record("completed");
        return Task.CompletedTask;
    }

    public Task OnErrorAsync(Exception ex)
    {
        CheckTurn();
        _probe.Record($"error:{ex.GetType().Name}:{ex.Message}");
        return Task.CompletedTask;
    }

    private void CheckTurn()
    {
        if (ActivationContext.Current != GrainContext)
        {
            _probe.Record("off-turn");
        }

        if (_inRequest)
        {
            _probe.Record("during-request");
        }
    }
}

public interface IStreamProducerGrain : IGrainWithStringKey
{
    /// <summary>Produces "{producer}:{i}" for i in 0..count-1 to the stream (ns, key); returns whether every OnNextAsync had completed when it returned.</summary>
    Task<bool> ProduceAsync(string ns, string key, string producer, int count);
}

public sealed class StreamProducerGrain : Grain, IStreamProducerGrain
{
    public async Task<bool> ProduceAsync(string ns, string key, string producer, int count)
    {
        var stream = this.GetStreamProvider("mem").GetStream<object>(ns, key);
        var allImmediate = true;
        for (var i = 0; i < count; i++)
        {
            var pending = stream.OnNextAsync($"{producer}:{i}");
            allImmediate &= pending.IsCompletedSuccessfully;
            await pending;
        }

        return allImmediate;
    }
}

public interface IImplicitConsumerGrain : IGrainWithStringKey
{
    Task<string> GetKeyAsync();

    Task DeactivateAsync();
}

/// <summary>
/// Implicitly subscribed to every stream of namespace "implicit-test": reports "subscribed" when told
/// of the subscription (once per activation), then "item:{n}" per item, to the probe of its key.
/// </summary>
[ImplicitStreamSubscription(Namespace)]
public sealed class ImplicitConsumerGrain : Grain, IImplicitConsumerGrain, IStreamSubscriptionObserver, IAsyncObserver<int>
{
    public const string Namespace = "implicit-test";

    private readonly Probe _probe;

    public ImplicitConsumerGrain() => _probe = Probe.For(this.GetPrimaryKeyString());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _probe.Record("activate");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _probe.Record("deactivate");
        return Task.CompletedTask;
    }

    public async Task OnSubscribed(IStreamSubscriptionHandleFactory handleFactory)
    {
        _probe.Record($"subscribed:{handleFactory.StreamId}");
        await handleFactory.Create<int>().ResumeAsync(this);
    }

    public Task<string> GetKeyAsync() => Task.FromResult(this.GetPrimaryKeyString());

    public Task DeactivateAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task OnNextAsync(int item, StreamSequenceToken? token = null)
    {
        _probe.Record(ActivationContext.Current == GrainContext ? $"item:{item}" : "off-turn");
        return Task.CompletedTask;
    }

    public Task OnErrorAsync(Exception ex) => Task.CompletedTask;
}

public interface ISilentImplicitGrain : IGrainWithStringKey
{
    Task PingAsync();
}

/// <summary>Implicitly subscribed to "implicit-silent" but never attaches an observer: its items cannot be delivered.</summary>
[ImplicitStreamSubscription("implicit-silent")]
public sealed class SilentImplicitGrain : Grain, ISilentImplicitGrain
{
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Probe.For(this.GetPrimaryKeyString()).Record("activate");
        return Task.CompletedTask;
    }

    public Task PingAsync() => Task.CompletedTask;
}
