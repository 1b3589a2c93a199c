using System.Buffers;
using System.Net;
using Microsoft.Extensions.Logging;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// Hands one message in a rented buffer to the handler, the way every transport does: a handler that completes at
/// once is finished inline, so such messages keep their arrival order; one that goes asynchronous finishes in the
/// background. Either way the buffer goes back to the pool and the caller's slot is released when the handler is done,
/// and a failing handler costs only its own message.
/// </summary>
internal static partial class HandlerDispatch
{
    private static readonly KeyValuePair<string, object?> HandlerFailedTag = new("reason", "handler_failed");

    /// <param name="message">Rented from <see cref="ArrayPool{T}.Shared"/>; owned by this call from now on.</param>
    /// <param name="slots">Already entered by the caller for this message.</param>
    public static void Run(
        ISipMessageHandler handler,
        byte[] message,
        int length,
        IPEndPoint source,
        ISipTransport transport,
        SemaphoreSlim slots,
        ILogger logger,
        SipMetrics metrics,
        CancellationToken cancellationToken)
    {
        ValueTask handling;
        try
        {
            handling = handler.HandleAsync(message.AsMemory(0, length), source, transport, cancellationToken);
        }
        catch (Exception ex)
        {
            handling = ValueTask.FromException(ex);
        }

        // A handler that already completed is finished here and now: awaiting a completed task does not yield.
        _ = FinishAsync(handling, message, source, slots, logger, metrics, cancellationToken);
    }

    /// <summary>
    /// Waits, at most 5 s, until every handler still running after a stop has returned its slot and buffer.
    /// </summary>
    /// <returns>False when some were still running at the end of the wait.</returns>
    public static async Task<bool> DrainAsync(SemaphoreSlim slots, int maxPending)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            for (var i = 0; i < maxPending; i++)
            {
                await slots.WaitAsync(bound.Token).ConfigureAwait(false);
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task FinishAsync(ValueTask handling, byte[] message, IPEndPoint source, SemaphoreSlim slots, ILogger logger, SipMetrics metrics, CancellationToken cancellationToken)
    {
        try
        {
            await handling.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Report(ex, source, logger, metrics);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
            slots.Release();
        }
    }

    /// <summary>A handler failed on one message: counted and logged, and only that message is lost.</summary>
    public static void Report(Exception exception, IPEndPoint source, ILogger logger, SipMetrics metrics)
    {
        metrics.MessagesDropped.Add(1, HandlerFailedTag);
        LogHandlerFailed(logger, exception, source);
    }

    [LoggerMessage(EventId = SipLogEvents.HandlerFailed, Level = LogLevel.Error, Message = "Message from {Source} could not be handled; dropped")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, EndPoint? source);
}
