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
    private const int MaxFrameLength = 256 * 1024 * 1024;

    private readonly ITransportDispatcher _dispatcher;
    private readonly ILogger _logger;
    private readonly int _maxQueued;
    private readonly object _sync = new();
    private Queue<OutgoingFrame> _queue = new();
    private Queue<OutgoingFrame> _spare = new();

    // Requests written and not yet answered: when the connection closes, their calls fail at once instead
    // of waiting out the response timeout (a peer killed with -9 answers nothing).
    private readonly HashSet<long> _awaitingResponse = new();
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
        _stream = stream;
        _reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024, minimumReadSize: 4 * 1024));
        _writer = PipeWriter.Create(stream, new StreamPipeWriterOptions(minimumBufferSize: 64 * 1024));
        lock (_sync)
        {
            if (_queue.Count > 0)
            {
                StartDrainLocked();
            }
        }

        _ = ReadLoopAsync(alreadyRead.ToArray());
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

        long[] unanswered;
        lock (_awaitingResponse)
        {
            unanswered = [.. _awaitingResponse];
            _awaitingResponse.Clear();
        }

        foreach (var correlationId in unanswered)
        {
            // A call already answered (or timed out) is no longer pending: the dispatcher ignores it.
            _dispatcher.OnSendFailed(correlationId, reason ?? new IOException("The connection closed before the response came."));
        }

        try
        {
            _reader?.CancelPendingRead();
            _stream?.Dispose();
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException)
        {
        }

        Closed?.Invoke(this, reason);
    }

    /// <summary>The response to a request sent on this connection came (the dispatcher read it).</summary>
    public void Answered(long correlationId)
    {
        lock (_awaitingResponse)
        {
            _awaitingResponse.Remove(correlationId);
        }
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
                    if (frame.CorrelationId != 0 && frame.Kind == FrameKind.Request)
                    {
                        lock (_awaitingResponse)
                        {
                            _awaitingResponse.Add(frame.CorrelationId);
                        }
                    }

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

    private async Task ReadLoopAsync(byte[] alreadyRead)
    {
        Exception? error = null;
        try
        {
            var reader = _reader!;
            if (alreadyRead.Length > 0)
            {
                // Bytes that arrived with the handshake belong to the first frames.
                var sequence = new ReadOnlySequence<byte>(alreadyRead);
                while (TryReadFrame(ref sequence, out var kind, out var payload))
                {
                    _dispatcher.OnFrame(this, kind, payload);
                }

                if (!sequence.IsEmpty)
                {
                    // The handshake's last read took the start of a frame too (the peer sends as soon as it has
                    // our preamble); its rest comes through the pipe.
                    await ReadSplitFrameAsync(reader, sequence.ToArray()).ConfigureAwait(false);
                }
            }

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

    /// <summary>Completes a frame whose first bytes (<paramref name="head"/>) came with the handshake, and dispatches it.</summary>
    private async Task ReadSplitFrameAsync(PipeReader reader, byte[] head)
    {
        var bytes = new ArrayBufferWriter<byte>(Math.Max(256, head.Length));
        bytes.Write(head);
        while (true)
        {
            var needed = 4L;
            if (bytes.WrittenCount >= 4)
            {
                var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.WrittenSpan);
                if (length < 1 || length > MaxFrameLength)
                {
                    throw new InvalidDataException($"Frame length {length} is out of range.");
                }

                needed = 4L + length;
                if (bytes.WrittenCount >= needed)
                {
                    var frame = new ReadOnlySequence<byte>(bytes.WrittenMemory);
                    TryReadFrame(ref frame, out var kind, out var payload);
                    _dispatcher.OnFrame(this, kind, payload);
                    return;
                }
            }

            var result = await reader.ReadAsync().ConfigureAwait(false);
            var buffer = result.Buffer;
            var take = Math.Min(buffer.Length, needed - bytes.WrittenCount);
            foreach (var segment in buffer.Slice(0, take))
            {
                bytes.Write(segment.Span);
            }

            reader.AdvanceTo(buffer.GetPosition(take));
            if (take == 0 && (result.IsCompleted || result.IsCanceled))
            {
                throw new IOException("The peer closed the connection within a frame.");
            }
        }
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
        if (length < 1 || length > MaxFrameLength)
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
}
