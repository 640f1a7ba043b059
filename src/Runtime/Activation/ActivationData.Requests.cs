using Bifro.Runtime.Filters;
using Bifro.Runtime.Messaging;
using Bifro.Runtime.Streams;
using Bifro.Serialization.Invocation;

namespace Bifro.Runtime.Activation;

/// <summary>Turn rules: which queued work may start, and what happens when it ends.</summary>
internal sealed partial class ActivationData
{
    private static readonly Func<object?, Task> s_runItem = static state =>
    {
        var (activation, item) = ((ActivationData, IActivationWorkItem))state!;
        return activation.RunItemAsync(item);
    };

    /// <summary>
    /// Starts every queued item the rules allow: a non-reentrant grain runs one request at a time (or
    /// several read-only ones), in arrival order; items that interleave ([AlwaysInterleave] calls,
    /// interleaving timer ticks) need no turn and start at once, even from behind a waiting request.
    /// </summary>
    private void PumpLocked()
    {
        // Once deactivation is requested (DeactivateOnIdle), queued work waits and is forwarded to the next
        // activation when this one is gone, as in Orleans: run here, its effects would be lost with this
        // activation's memory.
        if (_state != ActivationState.Valid || _pending is null || _deactivationRequested)
        {
            return;
        }

        while (_pending.TryPeek(out var item))
        {
            if (!MayStartLocked(item))
            {
                // The head waits for the turn. An interleaving item behind it must not wait with it: the
                // running request may itself be waiting for that item (a deadlock in Orleans terms).
                if (_pendingInterleaving > 0)
                {
                    StartInterleavingItemsLocked();
                }

                return;
            }

            _pending.Dequeue();
            StartLocked(item);
        }

        _pending = null;
    }

    private bool MayStartLocked(IActivationWorkItem item) =>
        _class.IsReentrant || item.Interleaves || _running == 0 || (item.IsReadOnly && _runningWrites == 0);

    /// <summary>Takes the interleaving items out of the queue and starts them; the others keep their order.</summary>
    private void StartInterleavingItemsLocked()
    {
        var count = _pending!.Count;
        for (var i = 0; i < count; i++)
        {
            var item = _pending.Dequeue();
            if (item.Interleaves)
            {
                StartLocked(item);
            }
            else
            {
                _pending.Enqueue(item);
            }
        }
    }

    private void StartLocked(IActivationWorkItem item)
    {
        if (item.Interleaves)
        {
            _pendingInterleaving--;
        }

        if (!_class.IsReentrant && !item.Interleaves)
        {
            _running++;
            if (!item.IsReadOnly)
            {
                _runningWrites++;
            }
        }

        _inFlight++;
        if (item.KeepsAlive)
        {
            _lastActiveTicks = Environment.TickCount64;
        }

        StartTurn(s_runItem, (this, item));
    }

    private async Task RunItemAsync(IActivationWorkItem item)
    {
        try
        {
            await item.RunAsync(this).ConfigureAwait(true);
        }
        catch (Exception exception)
        {
            _catalog.Log.TurnFailed(exception, GrainId);
        }
        finally
        {
            lock (this)
            {
                if (!_class.IsReentrant && !item.Interleaves)
                {
                    _running--;
                    if (!item.IsReadOnly)
                    {
                        _runningWrites--;
                    }
                }

                _inFlight--;
                if (item.KeepsAlive)
                {
                    _lastActiveTicks = Environment.TickCount64;
                }

                PumpLocked();
                TryStartDeactivationLocked();
            }
        }
    }

    /// <summary>Runs a call: request context, incoming filters, the method, the response.</summary>
    internal async Task RunRequestAsync(Message message)
    {
        RequestContext.Import(message.RequestContext);

        // A traced caller's span continues here (a sampled PUBLISH crossing to an inbox, say); calls this one
        // makes then carry this span as their parent.
        var activity = Diagnostics.RuntimeInstrumentation.StartIncoming(message.RequestContext, message.Request);
        Response response;
        try
        {
            var request = message.Request;
            var filters = _catalog.IncomingFilters;
            if (request.GetInterfaceType() == typeof(IStreamConsumerExtension))
            {
                // Stream delivery (see IStreamConsumerExtension): the target is this activation's stream
                // consumer, not the grain object, and grain call filters, which are written for grain
                // interfaces (authorization, quotas), do not see these runtime calls.
                request.SetTarget(StreamConsumer);
                response = await request.Invoke().ConfigureAwait(true);
            }
            else if (filters.Length == 0 && _grain is not IIncomingGrainCallFilter)
            {
                request.SetTarget(_grain!);
                response = await request.Invoke().ConfigureAwait(true);
            }
            else
            {
                request.SetTarget(_grain!);
                var context = new IncomingGrainCallContext(this, message, filters);
                await context.Invoke().ConfigureAwait(true);
                response = context.Response ?? throw new InvalidOperationException(
                    "A grain call filter returned without calling context.Invoke() or setting a result (a broken filter).");
            }
        }
        catch (Exception exception)
        {
            response = Response.FromException(exception);
        }

        Diagnostics.RuntimeInstrumentation.StopIncoming(activity, response);
        message.ResponseSink?.Complete(response);
    }
}
