using Bifro.Configuration;
using Bifro.Runtime.Activation;
using Bifro.Runtime.Filters;
using Bifro.Serialization.Invocation;
using Microsoft.Extensions.Options;

namespace Bifro.Runtime.Messaging;

/// <summary>
/// The sending side of grain calls: outgoing filters, then a message with the request context and the
/// caller's identity, a pending-call entry for the timeout, and the message center.
/// </summary>
internal sealed class GrainCallRuntime : IGrainReferenceRuntime
{
    private readonly MessageCenter _messageCenter;
    private readonly PendingCallTracker _tracker;
    private readonly IOutgoingGrainCallFilter[] _outgoingFilters;
    private readonly TimeSpan _defaultTimeout;

    public GrainCallRuntime(
        MessageCenter messageCenter,
        PendingCallTracker tracker,
        IEnumerable<IOutgoingGrainCallFilter> outgoingFilters,
        IOptions<MessagingOptions> options)
    {
        _messageCenter = messageCenter;
        _tracker = tracker;
        _outgoingFilters = outgoingFilters.ToArray();
        _defaultTimeout = options.Value.ResponseTimeout;
    }

    public Task<T> InvokeMethodAsync<T>(GrainReference reference, Request<T> request) =>
        _outgoingFilters.Length == 0 ? Send<T>(reference, request) : InvokeWithFiltersAsync<T>(reference, request);

    public Task InvokeMethodAsync(GrainReference reference, Request request)
    {
        if (_outgoingFilters.Length > 0)
        {
            return InvokeWithFiltersAsync<object?>(reference, request);
        }

        if (request.IsOneWay)
        {
            return SendOneWay(reference, request);
        }

        return Send<object?>(reference, request);
    }

    private Task<T> Send<T>(GrainReference reference, RequestBase request)
    {
        var message = CreateMessage(reference, request);
        var completion = new ResponseCompletion<T>(_tracker, message);
        message.ResponseSink = completion;
        _tracker.Add(completion, request.ResponseTimeout ?? _defaultTimeout);
        try
        {
            _messageCenter.Send(message);
        }
        catch (Exception exception)
        {
            // The call could not be sent (a request that cannot be serialized): it fails now, as a
            // faulted task like any other failure, rather than waiting out its response timeout.
            _tracker.Remove(completion);
            completion.TrySetException(exception);
        }

        return completion.Task;
    }

    private Task SendOneWay(GrainReference reference, RequestBase request)
    {
        try
        {
            _messageCenter.Send(CreateMessage(reference, request));
            return Task.CompletedTask;
        }
        catch (Exception exception)
        {
            return Task.FromException(exception);
        }
    }

    private async Task<T> InvokeWithFiltersAsync<T>(GrainReference reference, RequestBase request)
    {
        var context = new OutgoingGrainCallContext(reference, request, _outgoingFilters, ActivationContext.Current, SendForFilterAsync);
        await context.Invoke().ConfigureAwait(true);
        return context.Response is { } response
            ? response.GetResult<T>()
            : throw new InvalidOperationException("An outgoing grain call filter returned without calling context.Invoke() or setting a result.");
    }

    private async Task<Response> SendForFilterAsync(GrainReference reference, RequestBase request)
    {
        if (request.IsOneWay)
        {
            try
            {
                await SendOneWay(reference, request).ConfigureAwait(true);
                return Response.Completed;
            }
            catch (Exception exception)
            {
                return Response.FromException(exception);
            }
        }

        try
        {
            var result = await Send<object?>(reference, request).ConfigureAwait(true);
            return Response.FromResult(result);
        }
        catch (Exception exception)
        {
            return Response.FromException(exception);
        }
    }

    private static Message CreateMessage(GrainReference reference, RequestBase request) =>
        new(reference.GrainId, request)
        {
            SourceId = ActivationContext.Current?.GrainId,
            RequestContext = Diagnostics.RuntimeInstrumentation.ExportWithTrace(RequestContext.Export()),
        };
}
