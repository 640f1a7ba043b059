using Bifro.Runtime;

namespace Bifro.Grains.Authorization;

/// <summary>
/// Authorization as an incoming grain-call filter (ARCHITECTURE.md: "incoming grain-call filters:
/// authorization"). It answers authorization checks, the grain methods whose one argument is an
/// <see cref="MqttAction"/>[] (<see cref="ISessionGrain.AuthorizeAsync"/>), from the auth provider, for
/// the client that the caller put in <see cref="RequestContext"/>: the grain itself never runs for them.
/// Every other call passes through untouched. Fail closed: no client in the context, a client that is
/// not the target session's, a provider error or timeout all deny, and are logged.
/// </summary>
internal sealed partial class AuthorizationFilter : IIncomingGrainCallFilter
{
    private readonly AuthProviderGuard _provider;
    private readonly Microsoft.Extensions.Logging.ILogger<AuthorizationFilter> _logger;

    public AuthorizationFilter(AuthProviderGuard provider, Microsoft.Extensions.Logging.ILogger<AuthorizationFilter> logger)
    {
        _provider = provider;
        _logger = logger;
    }

    public Task Invoke(IIncomingGrainCallContext context)
    {
        // The action comes from the call itself: one argument, an MqttAction[]. No reflection per call.
        var request = context.Request;
        if (request.GetArgumentCount() != 1 || request.GetArgument(0) is not MqttAction[] actions)
        {
            return context.Invoke();
        }

        return AuthorizeAsync(context, actions);
    }

    private async Task AuthorizeAsync(IIncomingGrainCallContext context, MqttAction[] actions)
    {
        var results = new CheckResult[actions.Length];
        var client = RequestContext.Get(ClientInfo.RequestContextKey) as ClientInfo;
        string? refusal = null;
        if (client is null)
        {
            refusal = "The call carries no client.";
            LogNoClient(_logger, context.TargetId.ToString(), context.MethodName);
        }
        else if (context.Grain is ISessionGrain && !string.Equals(client.SessionKey, context.TargetId.Key, StringComparison.Ordinal))
        {
            // A session answers only for its own client: a call naming another client is a bug or an attack.
            refusal = "The client is not this session's.";
            LogWrongSession(_logger, client.SessionKey, context.TargetId.Key);
        }

        if (refusal is not null)
        {
            Array.Fill(results, CheckResult.Error(refusal));
            context.Result = results;
            return;
        }

        for (var i = 0; i < actions.Length; i++)
        {
            // One action at a time: most calls carry one, and a provider that is slow for one is slow for all.
            var result = await _provider.CheckPermissionAsync(client!, actions[i]).ConfigureAwait(true);
            if (!result.IsGranted)
            {
                LogDenied(_logger, client!.SessionKey, client.UserId, actions[i].ToString(), result.Decision, result.Reason);
            }

            results[i] = result;
        }

        context.Result = results;
    }
}
