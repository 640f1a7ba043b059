using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Bifro.Serialization;
using Microsoft.Extensions.Logging;

namespace Bifro.Runtime.Transport;

/// <summary>
/// One silo-transport connection, in either direction, once its handshake is done. Frames are read in
/// a loop and handed to the dispatcher; frames to send go through one queue drained by a single writer
/// that writes every queued frame, then flushes once, so small messages are batched under load. A full
/// queue refuses further frames (back-pressure on a stuck peer). A connection that is still connecting
/// queues frames until it opens, and fails their calls if it never does.
/// </summary>
internal sealed partial class TransportConnection : IThreadPoolWorkItem, IAsyncDisposable
{
    private readonly ITransportDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly int _maxQueued;
    private readonly object _sync = new();
    private Queue<OutgoingFrame> _queue = new();
    private Queue<OutgoingFrame> _spare = new();
    private bool _draining;
    private bool _closed;
    private Stream? _stream;
    private PipeReader? _reader;
    private PipeWriter? _writer;

    public TransportConnection(ITransportDispatcher dispatcher, ILogger logger, int maxQueued, string description)
    {
        _dispatcher = dispatcher;
        _logger = logger;
        _maxQueued = maxQueued;
        Description = description;
    }

    /// <summary>The peer's handshake, once received.</summary>
    public ConnectionPreamble? Remote { get; private set; }

    public string Description { get; }

    public bool IsOpen => _writer is not null && !_closed;

    public bool IsClosed => _closed;

    /// <summary>Raised once when the connection closes.</summary>
    public event Action<TransportConnection, Exception?>? Closed;

    /// <summary>Starts using <paramref name="stream"/> (handshake done): queued frames go out, and reading begins.</summary>
    public void Open(Stream stream, ConnectionPreamble remote, ReadOnlySequence<byte> alreadyRead)
    {
        Remote = remote;

        // The handshake may have read past the preamble: whole frames, or the start of one (the peer sends
        // frames as soon as it has our preamble). The reader takes those bytes first.
        _stream = alreadyRead.IsEmpty ? stream : new PrefixedStream(alreadyRead.ToArray(), stream);
        _reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4 * 1024));
        _writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
        lock (_sync)
        {
            if (_queue.Count > 0)
            {
                StartDrainLocked();
            }
        }

        _ = ReadLoopAsync();
    }

    /// <summary>Queues a frame; false (and the payload is disposed) when the connection is closed or its queue is full.</summary>
    public bool TrySend(FrameKind kind, Writer payload, long correlationId = 0)
    {
        lock (_sync)
        {
            if (_closed || _queue.Count >= _maxQueued)
            {
                payload.Dispose();
                return false;
            }

            _queue.Enqueue(new OutgoingFrame(payload, kind, correlationId));
            if (_writer is not null)
            {
                StartDrainLocked();
            }
        }

        return true;
    }

    /// <summary>Closes the connection; queued calls are failed through the dispatcher.</summary>
    public void Close(Exception? reason)
    {
        List<OutgoingFrame> failed;
        lock (_sync)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            failed = new List<OutgoingFrame>(_queue);
            _queue.Clear();
        }

        foreach (var frame in failed)
        {
            frame.Payload.Dispose();
            if (frame.CorrelationId != 0 && frame.Kind == FrameKind.Request)
            {
                _dispatcher.OnSendFailed(frame.CorrelationId, reason);
            }
        }

        try
        {
            _reader?.CancelPendingRead();
            _stream?.Dispose();
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
        }

        _dispatcher.OnClosed(this, reason);
        Closed?.Invoke(this, reason);
    }

    public ValueTask DisposeAsync()
    {
        Close(null);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => Description;

    void IThreadPoolWorkItem.Execute() => _ = DrainAsync();

    private void StartDrainLocked()
    {
        if (!_draining && !_closed)
        {
            _draining = true;
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private async Task DrainAsync()
    {
        try
        {
            while (true)
            {
                Queue<OutgoingFrame> batch;
                lock (_sync)
                {
                    if (_queue.Count == 0 || _closed)
                    {
                        _draining = false;
                        return;
                    }

                    batch = _queue;
                    _queue = _spare;
                    _spare = batch;
                }

                var writer = _writer!;
                while (batch.TryDequeue(out var frame))
                {
                    var payload = frame.Payload.WrittenSpan;
                    var span = writer.GetSpan(5 + payload.Length);
                    BinaryPrimitives.WriteInt32LittleEndian(span, payload.Length + 1);
                    span[4] = (byte)frame.Kind;
                    payload.CopyTo(span[5..]);
                    writer.Advance(5 + payload.Length);
                    frame.Payload.Dispose();
                }

                var flush = await writer.FlushAsync().ConfigureAwait(false);
                if (flush.IsCompleted || flush.IsCanceled)
                {
                    Close(new IOException("The peer closed the connection."));
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidOperationException)
        {
            Close(exception);
        }
    }

    private async Task ReadLoopAsync()
    {
        Exception? error = null;
        try
        {
            var reader = _reader!;
            while (!_closed)
            {
                var result = await reader.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                try
                {
                    while (TryReadFrame(ref buffer, out var kind, out var payload))
                    {
                        _dispatcher.OnFrame(this, kind, payload);
                    }
                }
                finally
                {
                    reader.AdvanceTo(buffer.Start, buffer.End);
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    break;
                }
            }
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or InvalidDataException or OperationCanceledException or InvalidOperationException)
        {
            error = exception;
        }
        catch (Exception exception)
        {
            error = exception;
            LogReadFailed(exception, Description);
        }

        Close(error ?? new IOException("The peer closed the connection."));
    }

    private static bool TryReadFrame(ref ReadOnlySequence<byte> buffer, out FrameKind kind, out ReadOnlySequence<byte> payload)
    {
        kind = default;
        payload = default;
        if (buffer.Length < 4)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[4];
        buffer.Slice(0, 4).CopyTo(header);
        var length = BinaryPrimitives.ReadInt32LittleEndian(header);
        if (length < 1 || length > 256 * 1024 * 1024)
        {
            throw new InvalidDataException($"Frame length {length} is out of range.");
        }

        if (buffer.Length < 4 + length)
        {
            return false;
        }

        var frame = buffer.Slice(4, length);
        kind = (FrameKind)frame.FirstSpan[0];
        payload = frame.Slice(1);
        buffer = buffer.Slice(4 + length);
        return true;
    }

    [LoggerMessage(1, LogLevel.Warning, "Silo connection {Connection} failed")]
    private partial void LogReadFailed(Exception exception, string connection);
}

/// <summary>Receives what connections read, and what they could not send.</summary>
internal interface ITransportDispatcher
{
    void OnFrame(TransportConnection connection, FrameKind kind, ReadOnlySequence<byte> payload);

    void OnSendFailed(long correlationId, Exception? reason);

    /// <summary>The connection closed: calls whose requests went out on it will get no response.</summary>
    void OnClosed(TransportConnection connection, Exception? reason);
}
