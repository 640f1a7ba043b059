namespace Bifro.Bench.Mqtt;

/// <summary>The User Name and Password fields of CONNECT [MQTT-3.1.3.4, MQTT-3.1.3.5].</summary>
internal sealed record MqttCredentials(string Username, string Password)
{
    /// <summary>Keeps the password out of logs and the results JSON.</summary>
    public override string ToString() => $"{Username} (password not shown)";
}
