using Bifro.Grains;
using Bifro.Runtime;

namespace Bifro.MqttEdge.Connection;

/// <summary>
/// Permission checks for what the client does (connect, publish, subscribe, unsubscribe). A check the
/// connection's decision cache cannot answer goes to the session grain with this client's
/// <see cref="ClientInfo"/> in <see cref="RequestContext"/>; the authorization filter answers it there
/// from the auth provider. Anything but Granted denies (fail closed).
/// </summary>
internal sealed partial class MqttConnection
{
    private ClientInfo? _client;
    private DecisionCache? _decisions;

    /// <summary>Checks <paramref name="actions"/>: the cache first, the rest in one grain call; result i answers action i.</summary>
    private async ValueTask<CheckResult[]> CheckPermissionsAsync(MqttAction[] actions, bool useCache = true)
    {
        var results = new CheckResult[actions.Length];
        List<int>? missing = null;
        for (var i = 0; i < actions.Length; i++)
        {
            if (!useCache || _decisions is not { Enabled: true } || !_decisions.TryGet(actions[i], out results[i]))
            {
                (missing ??= new List<int>(actions.Length)).Add(i);
            }
        }

        if (missing is null)
        {
            return results;
        }

        var asked = new MqttAction[missing.Count];
        for (var i = 0; i < asked.Length; i++)
        {
            asked[i] = actions[missing[i]];
        }

        var answers = await AuthorizeAsync(asked).ConfigureAwait(false);
        for (var i = 0; i < asked.Length; i++)
        {
            results[missing[i]] = answers[i];
            if (useCache)
            {
                _decisions?.Add(asked[i], answers[i]);
            }
        }

        return results;
    }

    /// <summary>The grain call the authorization filter answers; a failed call is an error, which denies.</summary>
    private async Task<CheckResult[]> AuthorizeAsync(MqttAction[] actions)
    {
        // Set here, in this async method, so that only this call carries the client: the change does not
        // flow back to the read loop, nor into anything else this connection calls.
        RequestContext.Set(ClientInfo.RequestContextKey, _client!);
        try
        {
            var results = await _session!.AuthorizeAsync(actions).WaitAsync(_edge.Options.GrainCallTimeout).ConfigureAwait(false);
            if (results is not null && results.Length == actions.Length)
            {
                return results;
            }

            LogAuthorizationFailed(_edge.Logger, null, SessionKey);
        }
        catch (Exception exception)
        {
            LogAuthorizationFailed(_edge.Logger, exception, SessionKey);
        }

        var failed = new CheckResult[actions.Length];
        Array.Fill(failed, CheckResult.Error("The authorization check failed."));
        return failed;
    }
}
