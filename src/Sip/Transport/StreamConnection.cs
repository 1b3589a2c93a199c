using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// One TCP or TLS connection of a <see cref="StreamTransport"/>: its stream, a reader over it, and a write lock,
/// because a TLS stream (and a SIP message cut in two by another) cannot take interleaved writes.
/// </summary>
internal sealed class StreamConnection : IDisposable
{
    private static long lastId;

    private readonly CancellationTokenSource closing = new();
    private readonly CancellationToken closingToken;
    private readonly TimeProvider time;

    // Never disposed: a writer may still be leaving it when the connection closes, and it holds no wait handle.
    private readonly SemaphoreSlim writeLock = new(1, 1);
    private Stream? stream;
    private long lastActivity;
    private long writeStarted;
    private int closed;

    /// <param name="time">Stamps activity and writes, which the idle and write time-outs are measured against.</param>
    public StreamConnection(Socket socket, IPEndPoint remote, bool inbound, TimeProvider time)
    {
        this.time = time;
        lastActivity = time.GetTimestamp();
        Socket = socket;
        Remote = remote;

        // Once, while the socket is surely open: each read of Socket.LocalEndPoint may build a new object.
        Local = socket.LocalEndPoint as IPEndPoint ?? new IPEndPoint(IPAddress.Any, 0);
        Inbound = inbound;
        Id = Interlocked.Increment(ref lastId);
        closingToken = closing.Token;
    }

    /// <summary>Unique in the process, so a flow token names this connection and not a later one from the same address.</summary>
    public long Id { get; }

    public Socket Socket { get; }

    public IPEndPoint Remote { get; }

    /// <summary>This end of the connection: for an outbound one, the port the system chose.</summary>
    public IPEndPoint Local { get; }

    public bool Inbound { get; }

    public PipeReader Reader { get; private set; } = null!;

    /// <summary>Cancelled when the connection closes, which ends its read loop and any write in progress.</summary>
    public CancellationToken Closing => closingToken;

    /// <summary>When bytes last went either way, as a <see cref="TimeProvider.GetTimestamp"/> of the transport's clock.</summary>
    public long LastActivity => Volatile.Read(ref lastActivity);

    /// <summary>Called once the stream is ready to carry SIP (after the TLS handshake, if any).</summary>
    public void Attach(Stream ready)
    {
        stream = ready;
        Reader = PipeReader.Create(ready, new StreamPipeReaderOptions(leaveOpen: true));
    }

    /// <summary>When the write in progress started (a <see cref="TimeProvider.GetTimestamp"/>), or 0 when none is.</summary>
    public long WriteStarted => Volatile.Read(ref writeStarted);

    public void Touch() => Volatile.Write(ref lastActivity, time.GetTimestamp());

    /// <summary>Writes one whole message; <paramref name="cancellationToken"/> only bounds the wait for the lock, so a message is never cut short.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        await writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Volatile.Write(ref writeStarted, time.GetTimestamp());
            await stream!.WriteAsync(data, closingToken).ConfigureAwait(false);
            Touch();
        }
        finally
        {
            Volatile.Write(ref writeStarted, 0);
            writeLock.Release();
        }
    }

    /// <returns>True for the first caller only: a connection is closed, counted and logged once.</returns>
    public bool TryMarkClosed() => Interlocked.Exchange(ref closed, 1) == 0;

    /// <summary>Ends the read loop and any write in progress, and closes the socket.</summary>
    public void Dispose()
    {
        closing.Cancel();
        stream?.Dispose();
        Socket.Dispose();
        closing.Dispose();
    }
}
