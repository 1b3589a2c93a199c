using System.Buffers;
using Microsoft.Extensions.Logging;
using OrleansProxy.Sip.Capture;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// Reads one connection of a <see cref="StreamTransport"/> until it closes: frames messages by Content-Length and hands
/// each to the handler in order, answers RFC 5626 keep-alive pings, and reports a stream that cannot be framed to the
/// handler (<see cref="IFramingFaultHandler"/>) before closing it, since its message boundaries are lost.
/// </summary>
internal sealed class StreamReadLoop
{
    private static readonly byte[] Pong = "\r\n"u8.ToArray();
    private static readonly KeyValuePair<string, object?> TruncatedTag = new("reason", "truncated");

    private readonly StreamTransport transport;
    private readonly ISipMessageHandler handler;
    private readonly IFramingFaultHandler? faults;
    private readonly SemaphoreSlim slots;
    private readonly SipParseLimits limits;
    private readonly ISipCapture? capture;
    private readonly ILogger logger;
    private readonly SipMetrics metrics;

    /// <param name="slots">How many messages may wait on asynchronous handling at once, over all connections.</param>
    public StreamReadLoop(StreamTransport transport, ISipMessageHandler handler, SemaphoreSlim slots, ISipCapture? capture)
    {
        this.transport = transport;
        this.handler = handler;
        faults = handler as IFramingFaultHandler;
        this.slots = slots;
        this.capture = capture;
        logger = transport.Logger;
        metrics = transport.Metrics;
        limits = SipParseLimits.Default with { MaxMessageBytes = transport.Options.MaxMessageBytes };
    }

    public async Task RunAsync(StreamConnection connection)
    {
        var reader = connection.Reader;
        var closing = connection.Closing;
        var reason = StreamCloseReason.ByPeer;
        try
        {
            while (true)
            {
                var result = await reader.ReadAsync(closing).ConfigureAwait(false);
                connection.Touch();
                var buffer = result.Buffer;
                var framing = SipFrameStatus.Incomplete;
                while (buffer.Length > 0)
                {
                    framing = SipFramer.TryFrame(buffer, limits, out var consumed, out var frame, out var error);
                    if (framing == SipFrameStatus.Message)
                    {
                        await DispatchAsync(frame, connection).ConfigureAwait(false);
                        buffer = buffer.Slice(consumed);
                    }
                    else if (framing == SipFrameStatus.KeepAlive)
                    {
                        var lineBreaks = buffer.Slice(buffer.Start, consumed).Length;

                        // RFC 5626 §3.5.1: a ping is CRLF CRLF. A lone CRLF at the end of what we have may be half of one.
                        if (lineBreaks < 4 && consumed.Equals(buffer.End) && !result.IsCompleted)
                        {
                            break;
                        }

                        buffer = buffer.Slice(consumed);
                        for (var pings = lineBreaks / 4; pings > 0; pings--)
                        {
                            await connection.WriteAsync(Pong, closing).ConfigureAwait(false);
                        }
                    }
                    else if (framing == SipFrameStatus.Malformed)
                    {
                        reason = StreamCloseReason.Malformed;
                        await ReportFaultAsync(connection, buffer, error).ConfigureAwait(false);
                        return;
                    }
                    else
                    {
                        break;
                    }
                }

                if (result.IsCompleted)
                {
                    if (framing == SipFrameStatus.Incomplete && buffer.Length > 0)
                    {
                        metrics.MessagesDropped.Add(1, TruncatedTag);
                        StreamTransportLog.Truncated(logger, connection.Remote, transport.Hop, buffer.Length);
                    }

                    return;
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException || StreamTransport.IsConnectionFault(ex))
        {
            // Closed by us (reason already recorded) or reset by the peer.
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            transport.Close(connection, reason);
        }
    }

    private async ValueTask DispatchAsync(ReadOnlySequence<byte> frame, StreamConnection connection)
    {
        var stopping = transport.Stopping;
        await slots.WaitAsync(stopping).ConfigureAwait(false);
        var length = (int)frame.Length;
        var copy = ArrayPool<byte>.Shared.Rent(length);
        frame.CopyTo(copy);

        // Before the handler: it owns the copy from then on and may have returned it by the time it returns.
        capture?.OnReceived(copy.AsSpan(0, length), transport.Hop.Transport, connection.Local, connection.Remote);
        HandlerDispatch.Run(handler, copy, length, connection.Remote, transport, slots, logger, metrics, stopping);
    }

    /// <summary>Tells the handler what could not be framed, while the connection is still open for its answer.</summary>
    private async Task ReportFaultAsync(StreamConnection connection, ReadOnlySequence<byte> buffer, SipParseError error)
    {
        StreamTransportLog.FramingFailed(logger, connection.Remote, transport.Hop, SipParseErrors.Describe(error));
        if (faults is null)
        {
            return;
        }

        var length = (int)Math.Min(buffer.Length, limits.MaxMessageBytes);
        var head = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            buffer.Slice(0, length).CopyTo(head);
            await faults.OnFramingFaultAsync(head.AsMemory(0, length), error, connection.Remote, transport, connection.Closing).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException || StreamTransport.IsConnectionFault(ex))
        {
            // The peer is gone too; the connection closes either way.
        }
        catch (Exception ex)
        {
            HandlerDispatch.Report(ex, connection.Remote, logger, metrics);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(head);
        }
    }
}
