namespace Bifro.Grains.Authorization.Providers;

/// <summary>
/// One ACL rule of the file provider. Rules are tried in file order and the first whose selectors, action,
/// topic, QoS and retain all match decides (allow or deny). A selector left out matches everyone; "*" too.
/// </summary>
internal sealed class AclRule
{
    public required int Index { get; init; }

    public required bool Allow { get; init; }

    /// <summary>Bit (1 &lt;&lt; MqttActionKind) per action the rule covers.</summary>
    public required int Actions { get; init; }

    public string? User { get; init; }

    public string? ClientId { get; init; }

    public string? Tenant { get; init; }

    public string? Certificate { get; init; }

    /// <summary>Null: every topic.</summary>
    public string[]? Topics { get; init; }

    /// <summary>Bit (1 &lt;&lt; qos) per QoS the rule covers.</summary>
    public int QoS { get; init; } = 0b111;

    public bool? Retain { get; init; }

    public bool Applies(ClientInfo client, MqttAction action)
    {
        if ((Actions & (1 << (int)action.Kind)) == 0
            || !Selects(User, client.UserId)
            || !Selects(ClientId, client.ClientId)
            || !Selects(Tenant, client.TenantId)
            || !SelectsCertificate(client))
        {
            return false;
        }

        if (action.Kind is MqttActionKind.Publish or MqttActionKind.Subscribe && (QoS & (1 << action.QoS)) == 0)
        {
            return false;
        }

        if (action.Kind == MqttActionKind.Publish && Retain is { } retain && retain != action.Retain)
        {
            return false;
        }

        if (action.Kind == MqttActionKind.Connect || Topics is null)
        {
            return true;
        }

        foreach (var pattern in Topics)
        {
            if (TopicPattern.Expand(pattern, client) is not { } expanded)
            {
                continue;
            }

            var matched = action.Kind == MqttActionKind.Publish
                ? TopicPattern.Matches(expanded, action.Topic)
                : TopicPattern.Covers(expanded, action.Topic);
            if (matched)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Selects(string? selector, string? value) =>
        selector is null || selector == "*" || string.Equals(selector, value, StringComparison.Ordinal);

    private bool SelectsCertificate(ClientInfo client)
    {
        if (Certificate is null)
        {
            return true;
        }

        if (Certificate == "*")
        {
            // Any client that presented a certificate.
            return client.CertificateFingerprint is not null;
        }

        if (Certificate.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            return client.CertificateFingerprint is { } fingerprint
                && string.Equals(Certificate["sha256:".Length..].Replace(":", string.Empty, StringComparison.Ordinal), fingerprint, StringComparison.OrdinalIgnoreCase);
        }

        return client.CertificateSubject is { } subject && string.Equals(Certificate, subject, StringComparison.Ordinal);
    }
}
