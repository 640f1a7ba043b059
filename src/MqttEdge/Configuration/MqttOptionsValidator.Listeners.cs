using System.Net;
using Bifro.MqttEdge.Listeners;

namespace Bifro.MqttEdge.Configuration;

internal sealed partial class MqttOptionsValidator
{
    private static void ValidateListeners(MqttOptions options, List<string> errors)
    {
        const string s = MqttOptions.SectionName;
        (MqttListenerOptions Listener, string Key)[] listeners =
        [
            (options.Tcp, $"{s}:Tcp"),
            (options.Tls, $"{s}:Tls"),
            (options.Ws, $"{s}:Ws"),
            (options.Wss, $"{s}:Wss"),
        ];

        foreach (var (listener, key) in listeners)
        {
            ValidateListener(listener, key, errors);
        }

        ValidatePath(options.Ws, options.Ws.Path, $"{s}:Ws", errors);
        ValidatePath(options.Wss, options.Wss.Path, $"{s}:Wss", errors);
        ValidateTls(options.Tls, $"{s}:Tls", errors);
        ValidateTls(options.Wss, $"{s}:Wss", errors);

        if (options.CertificateReloadInterval <= TimeSpan.Zero)
        {
            errors.Add($"{s}:CertificateReloadInterval must be positive.");
        }

        var enabled = listeners.Where(l => l.Listener.Enabled).ToList();
        foreach (var group in enabled.GroupBy(l => l.Listener.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"{string.Join(" and ", group.Select(l => l.Key + ":Name"))} are both '{group.Key}'; listener names must differ.");
        }

        foreach (var group in enabled.Where(l => l.Listener.Port != 0).GroupBy(l => l.Listener.Port).Where(g => g.Count() > 1))
        {
            errors.Add($"{string.Join(" and ", group.Select(l => l.Key + ":Port"))} are both {group.Key}; enabled listeners need their own ports.");
        }
    }

    private static void ValidateListener(MqttListenerOptions listener, string key, List<string> errors)
    {
        if (!IPAddress.TryParse(listener.BindAddress, out _))
        {
            errors.Add($"{key}:BindAddress '{listener.BindAddress}' is not an IP address.");
        }

        if (listener.Port is < 0 or > 65535)
        {
            errors.Add($"{key}:Port {listener.Port} is not a port number (0 to 65535).");
        }

        if (string.IsNullOrWhiteSpace(listener.Name))
        {
            errors.Add($"{key}:Name must not be empty.");
        }
    }

    private static void ValidatePath(MqttListenerOptions listener, string path, string key, List<string> errors)
    {
        if (listener.Enabled && (string.IsNullOrEmpty(path) || path[0] != '/' || path.Any(c => c is '?' or '#' or ' ' || char.IsControl(c))))
        {
            errors.Add($"{key}:Path '{path}' must be an absolute path such as /mqtt.");
        }
    }

    /// <summary>An enabled TLS listener's files must exist and load: a bad certificate stops the node at start.</summary>
    private static void ValidateTls(TlsListenerOptions tls, string key, List<string> errors)
    {
        if (!Enum.IsDefined(tls.ClientCertificateMode))
        {
            errors.Add($"{key}:ClientCertificateMode must be None, Optional or Require.");
            return;
        }

        if (!tls.Enabled)
        {
            return;
        }

        var before = errors.Count;
        if (string.IsNullOrWhiteSpace(tls.Certificate.Path))
        {
            errors.Add($"{key}:Certificate:Path is required: the listener is enabled.");
        }
        else if (!File.Exists(tls.Certificate.Path))
        {
            errors.Add($"{key}:Certificate:Path '{tls.Certificate.Path}' not found.");
        }

        if (tls.Certificate.KeyPath is { } keyPath && !File.Exists(keyPath))
        {
            errors.Add($"{key}:Certificate:KeyPath '{keyPath}' not found.");
        }

        if (tls.ClientCertificateMode != ClientCertificateMode.None)
        {
            // There is no "accept any client certificate": asking for one means saying whom to trust.
            if (string.IsNullOrWhiteSpace(tls.ClientCaPath))
            {
                errors.Add($"{key}:ClientCaPath is required: {key}:ClientCertificateMode is {tls.ClientCertificateMode}.");
            }
            else if (!File.Exists(tls.ClientCaPath))
            {
                errors.Add($"{key}:ClientCaPath '{tls.ClientCaPath}' not found.");
            }
        }

        if (errors.Count > before)
        {
            return;
        }

        try
        {
            TlsMaterialLoader.Load(TlsMaterialLoader.Read(tls, key), tls, key);
        }
        catch (TlsMaterialException exception)
        {
            errors.Add(exception.Message);
        }
    }
}
