namespace Bifro.MqttEdge.Listeners;

/// <summary>The bytes of a TLS listener's files, read once, so that what is loaded is what was fingerprinted.</summary>
internal sealed record TlsFiles(byte[] Certificate, byte[]? Key, byte[]? ClientCa, byte[] Fingerprint);
