using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Bifro.Configuration;
using Bifro.Runtime.Messaging;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Bifro.Runtime.Transport;

/// <summary>
/// The silo transport's connections: it listens on the silo port (other silos) and the gateway port
/// (cluster clients), opens connections to other silos on demand, and runs TLS and the handshake on
/// each. Every connection starts with both sides' preamble; a peer of another ClusterId or ServiceId is
/// refused there, logged with both ids and counted.
/// </summary>
internal sealed partial class ConnectionManager : IAsyncDisposable
{
    private readonly SiloTransportOptions _options;
    private readonly ClusterOptions _cluster;
    private readonly ILocalSiloDetails _local;
    private readonly TransportSecurity _security;
    private readonly Diagnostics.RuntimeEvents _events;
    private readonly ILogger<ConnectionManager> _logger;
    private readonly ConcurrentDictionary<string, TransportConnection> _outbound = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TransportConnection> _clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<TransportConnection, byte> _inbound = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Socket> _listeners = new();
    private long _refusedPreambles;
    private ITransportDispatcher? _dispatcher;

    public ConnectionManager(
        IOptions<SiloTransportOptions> options,
        IOptions<ClusterOptions> cluster,
        ILocalSiloDetails local,
        Diagnostics.RuntimeEvents events,
        ILogger<ConnectionManager> logger)
    {
        _events = events;
        _options = options.Value;
        _cluster = cluster.Value;
        _local = local;
        _logger = logger;
        _security = new TransportSecurity(_options.Tls, logger);
    }

    /// <summary>This process's role toward others: a silo, or a client (edge-only node) that only connects out.</summary>
    public PeerRole LocalRole { get; private set; } = PeerRole.Silo;

    /// <summary>Makes this a client's transport: no listeners, connections to gateways only.</summary>
    public ConnectionManager AsClient()
    {
        LocalRole = PeerRole.Client;
        return this;
    }

    /// <summary>Connections refused because the peer's ClusterId or ServiceId differed, or its preamble was bad.</summary>
    public long RefusedPreambles => Volatile.Read(ref _refusedPreambles);

    /// <summary>Connections refused because the peer's certificate was not trusted.</summary>
    public long RejectedCertificates => _security.RejectedCertificates;

    public int OpenConnectionCount => _outbound.Count + _inbound.Count;

    public void Start(ITransportDispatcher dispatcher)
    {
        _dispatcher = dispatcher;
        if (LocalRole != PeerRole.Silo)
        {
            return;
        }

        Listen(_options.SiloPort, PeerRole.Silo);
        if (_options.GatewayPort > 0)
        {
            Listen(_options.GatewayPort, PeerRole.Client);
        }
    }

    /// <summary>The connection to a silo, opening it if needed (frames queue until it is open).</summary>
    public TransportConnection GetSiloConnection(SiloAddress silo) => GetOutbound(silo.ToParsableString(), silo.Endpoint);

    /// <summary>The connection to a silo's gateway (clients only).</summary>
    public TransportConnection GetGatewayConnection(SiloAddress silo, int gatewayPort) =>
        GetOutbound(silo.ToParsableString(), new IPEndPoint(silo.Endpoint.Address, gatewayPort));

    /// <summary>Raised with a cluster client's name when it connects to this gateway.</summary>
    public event Action<string>? ClientConnected;

    /// <summary>Raised with a cluster client's name when its connection to this gateway closes.</summary>
    public event Action<string>? ClientDisconnected;

    /// <summary>The cluster clients connected to this gateway, by name.</summary>
    public ICollection<string> ConnectedClients => _clients.Keys;

    /// <summary>Any open connection to a gateway (clients relay calls for other clients through one).</summary>
    public TransportConnection? AnyOutbound()
    {
        foreach (var connection in _outbound.Values)
        {
            if (!connection.IsClosed)
            {
                return connection;
            }
        }

        return null;
    }

    /// <summary>A connected cluster client, by its identity (gateways only).</summary>
    public TransportConnection? FindClient(string clientId) => _clients.GetValueOrDefault(clientId);

    /// <summary>Closes the connections to a silo that is gone.</summary>
    public void Forget(SiloAddress silo)
    {
        if (_outbound.TryRemove(silo.ToParsableString(), out var connection))
        {
            connection.Close(new IOException($"Silo {silo} is dead."));
        }

        foreach (var inbound in _inbound.Keys)
        {
            if (inbound.Remote?.Identity == silo.ToParsableString())
            {
                inbound.Close(new IOException($"Silo {silo} is dead."));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        foreach (var connection in _outbound.Values.Concat(_inbound.Keys))
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private TransportConnection GetOutbound(string key, IPEndPoint endpoint)
    {
        while (true)
        {
            if (_outbound.TryGetValue(key, out var existing) && !existing.IsClosed)
            {
                return existing;
            }

            var connection = new TransportConnection(_dispatcher!, _logger, _options.MaxQueuedMessages, $"to {key}");
            if (existing is not null ? _outbound.TryUpdate(key, connection, existing) : _outbound.TryAdd(key, connection))
            {
                connection.Closed += (c, _) => _outbound.TryRemove(new KeyValuePair<string, TransportConnection>(key, c));
                _ = ConnectAsync(connection, endpoint);
                return connection;
            }
        }
    }

    private async Task ConnectAsync(TransportConnection connection, IPEndPoint endpoint)
    {
        Socket? socket = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.ConnectTimeout);
            socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(endpoint, timeout.Token).ConfigureAwait(false);
            Stream stream = new NetworkStream(socket, ownsSocket: true);
            socket = null;
            if (_security.Enabled)
            {
                stream = await _security.AuthenticateAsClientAsync(stream, endpoint.Address.ToString(), timeout.Token).ConfigureAwait(false);
            }

            var (remote, rest) = await HandshakeAsync(stream, timeout.Token).ConfigureAwait(false);
            if (!Accept(remote, expected: PeerRole.Silo, connection.Description))
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                connection.Close(new IOException($"{endpoint} belongs to another cluster or service."));
                return;
            }

            connection.Open(stream, remote, rest);
        }
        catch (Exception exception)
        {
            socket?.Dispose();
            LogConnectFailed(endpoint, exception.Message);
            connection.Close(exception);
        }
    }

    private void Listen(int port, PeerRole expected)
    {
        var bind = IPAddress.Parse(_options.BindAddress);
        var listener = new Socket(bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(bind, port));
        listener.Listen(512);
        _listeners.Add(listener);
        _ = AcceptLoopAsync(listener, expected);
    }

    private async Task AcceptLoopAsync(Socket listener, PeerRole expected)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            socket.NoDelay = true;
            _ = AcceptAsync(socket, expected);
        }
    }

    private async Task AcceptAsync(Socket socket, PeerRole expected)
    {
        var remoteEndpoint = socket.RemoteEndPoint?.ToString() ?? "?";
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_options.ConnectTimeout);
            if (_security.Enabled)
            {
                stream = await _security.AuthenticateAsServerAsync(stream, timeout.Token).ConfigureAwait(false);
            }

            var (remote, rest) = await HandshakeAsync(stream, timeout.Token).ConfigureAwait(false);
            if (!Accept(remote, expected, remoteEndpoint))
            {
                await stream.DisposeAsync().ConfigureAwait(false);
                return;
            }

            var connection = new TransportConnection(_dispatcher!, _logger, _options.MaxQueuedMessages, $"from {remote.Identity} ({remoteEndpoint})");
            _inbound[connection] = 0;
            connection.Closed += (c, reason) => _inbound.TryRemove(c, out var ignored);
            if (remote.Role == PeerRole.Client)
            {
                _clients[remote.Identity] = connection;
                connection.Closed += (c, _) =>
                {
                    if (_clients.TryRemove(new KeyValuePair<string, TransportConnection>(remote.Identity, c)))
                    {
                        ClientDisconnected?.Invoke(remote.Identity);
                    }
                };
                ClientConnected?.Invoke(remote.Identity);
            }

            connection.Open(stream, remote, rest);
        }
        catch (Exception exception)
        {
            LogAcceptFailed(remoteEndpoint, exception.Message);
            if (exception is System.Security.Authentication.AuthenticationException)
            {
                _events.OnConnectionRefused(new Diagnostics.RefusedConnection(
                    Diagnostics.RefusalReason.UntrustedCertificate, remoteEndpoint, null, null, null, exception.Message));
            }

            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Both sides send their preamble, then read the other's.</summary>
    private async Task<(ConnectionPreamble Remote, ReadOnlySequence<byte> Leftover)> HandshakeAsync(Stream stream, CancellationToken cancellationToken)
    {
        var identity = LocalRole == PeerRole.Silo ? _local.SiloAddress.ToParsableString() : _local.SiloName;
        var ours = new ConnectionPreamble(ConnectionPreamble.CurrentProtocolVersion, LocalRole, _cluster.ClusterId, _cluster.ServiceId, identity);
        await stream.WriteAsync(ours.Encode(), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);

        var received = new ArrayBufferWriter<byte>(256);
        while (true)
        {
            var memory = received.GetMemory(256);
            var read = await stream.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                throw new IOException("The peer closed the connection during the handshake.");
            }

            received.Advance(read);
            if (received.WrittenCount > 64 * 1024)
            {
                throw new InvalidDataException("Handshake too long.");
            }

            var sequence = new ReadOnlySequence<byte>(received.WrittenMemory);
            if (ConnectionPreamble.TryRead(ref sequence, out var remote))
            {
                return (remote, new ReadOnlySequence<byte>(sequence.ToArray()));
            }
        }
    }

    private bool Accept(ConnectionPreamble remote, PeerRole expected, string peer)
    {
        if (remote.ProtocolVersion != ConnectionPreamble.CurrentProtocolVersion
            || !string.Equals(remote.ClusterId, _cluster.ClusterId, StringComparison.Ordinal)
            || !string.Equals(remote.ServiceId, _cluster.ServiceId, StringComparison.Ordinal)
            || (expected == PeerRole.Silo && remote.Role != PeerRole.Silo))
        {
            Interlocked.Increment(ref _refusedPreambles);
            LogRefused(peer, remote.Identity, remote.ClusterId, remote.ServiceId, remote.Role, _cluster.ClusterId, _cluster.ServiceId);
            _events.OnConnectionRefused(new Diagnostics.RefusedConnection(
                Diagnostics.RefusalReason.ForeignCluster, peer, remote.ClusterId, remote.ServiceId, remote.Identity,
                $"cluster '{remote.ClusterId}' service '{remote.ServiceId}' as {remote.Role}, protocol {remote.ProtocolVersion}"));
            return false;
        }

        return true;
    }

    [LoggerMessage(1, LogLevel.Warning,
        "Refused connection {Peer} ({Identity}): it belongs to cluster '{RemoteClusterId}' service '{RemoteServiceId}' as {Role}; this node is cluster '{ClusterId}' service '{ServiceId}'")]
    private partial void LogRefused(string peer, string identity, string remoteClusterId, string remoteServiceId, PeerRole role, string clusterId, string serviceId);

    [LoggerMessage(2, LogLevel.Debug, "Could not connect to {Endpoint}: {Reason}")]
    private partial void LogConnectFailed(IPEndPoint endpoint, string reason);

    [LoggerMessage(3, LogLevel.Debug, "Refused an incoming connection from {Endpoint}: {Reason}")]
    private partial void LogAcceptFailed(string endpoint, string reason);
}
