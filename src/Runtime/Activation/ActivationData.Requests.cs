using Bifro.Runtime.Filters;
using Bifro.Runtime.Messaging;
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

    /// <summary>Starts every queued item the rules allow: a non-reentrant grain runs one request at a time.</summary>
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
            var interleaves = _class.IsReentrant || item.Interleaves;
            if (!interleaves && _running > 0 && !(item.IsReadOnly && _runningWrites == 0))
            {
                return;
            }

            _pending.Dequeue();
            if (!interleaves)
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

        if (_pending.Count == 0)
        {
            _pending = null;
        }
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
        Response response;
        try
        {
            var request = message.Request;
            request.SetTarget(_grain!);
            var filters = _catalog.IncomingFilters;
            if (filters.Length == 0 && _grain is not IIncomingGrainCallFilter)
            {
                response = await request.Invoke().ConfigureAwait(true);
            }
            else
            {
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

        message.ResponseSink?.Complete(response);
    }
}
