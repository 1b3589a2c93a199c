using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace OrleansProxy.Sip.Transport;

/// <summary>What a <see cref="StreamTransport"/> and its parts log, each line naming the listener (hop) it happened on.</summary>
internal static partial class StreamTransportLog
{
    [LoggerMessage(EventId = SipLogEvents.ListenerStarted, Level = LogLevel.Information, Message = "Serving {Hop}, at most {Pending} messages in asynchronous handling at once")]
    public static partial void Started(ILogger logger, LocalHop hop, int pending);

    [LoggerMessage(EventId = SipLogEvents.ListenerStopped, Level = LogLevel.Information, Message = "Stopped {Hop} and closed its connections")]
    public static partial void Stopped(ILogger logger, LocalHop hop);

    [LoggerMessage(EventId = SipLogEvents.DrainIncomplete, Level = LogLevel.Warning, Message = "Stopped {Hop} with messages still being handled after 5 s")]
    public static partial void DrainIncomplete(ILogger logger, LocalHop hop);

    [LoggerMessage(EventId = SipLogEvents.SendFailed, Level = LogLevel.Warning, Message = "Send to {Destination} over {Hop} failed, connection closed: {Error}")]
    public static partial void SendFailed(ILogger logger, IPEndPoint destination, LocalHop hop, string error);

    [LoggerMessage(EventId = SipLogEvents.AcceptFailed, Level = LogLevel.Debug, Message = "Accept on {Hop} failed: {Error}")]
    public static partial void AcceptFailed(ILogger logger, LocalHop hop, SocketError error);

    [LoggerMessage(EventId = SipLogEvents.ConnectionOpened, Level = LogLevel.Debug, Message = "Connection {Direction} {Remote} opened on {Hop}")]
    public static partial void Opened(ILogger logger, string direction, IPEndPoint remote, LocalHop hop);

    [LoggerMessage(EventId = SipLogEvents.ConnectionClosed, Level = LogLevel.Debug, Message = "Connection with {Remote} on {Hop} closed: {Reason}")]
    public static partial void Closed(ILogger logger, IPEndPoint remote, LocalHop hop, string reason);

    [LoggerMessage(EventId = SipLogEvents.ConnectionRefused, Level = LogLevel.Warning, Message = "Connection {Direction} {Remote} on {Hop} refused: limit {Limit} of {Bound} reached")]
    public static partial void Refused(ILogger logger, string direction, IPEndPoint remote, LocalHop hop, string limit, int bound);

    [LoggerMessage(EventId = SipLogEvents.ConnectionIdle, Level = LogLevel.Information, Message = "Connection with {Remote} on {Hop} closed: idle for the idle time-out of {IdleTimeout}")]
    public static partial void Idle(ILogger logger, IPEndPoint remote, LocalHop hop, TimeSpan idleTimeout);

    [LoggerMessage(EventId = SipLogEvents.WriteStalled, Level = LogLevel.Warning, Message = "Connection with {Remote} on {Hop} closed: a write did not finish within the write time-out of {WriteTimeout}")]
    public static partial void WriteStalled(ILogger logger, IPEndPoint remote, LocalHop hop, TimeSpan writeTimeout);

    [LoggerMessage(EventId = SipLogEvents.ConnectFailed, Level = LogLevel.Warning, Message = "Could not connect to {Destination} from {Hop}: {Error}")]
    public static partial void ConnectFailed(ILogger logger, IPEndPoint destination, LocalHop hop, string error);

    [LoggerMessage(EventId = SipLogEvents.TlsHandshakeFailed, Level = LogLevel.Warning, Message = "TLS handshake with {Remote} on {Hop} failed, connection closed: {Error}")]
    public static partial void TlsFailed(ILogger logger, IPEndPoint remote, LocalHop hop, string error);

    [LoggerMessage(EventId = SipLogEvents.StreamFramingFailed, Level = LogLevel.Warning, Message = "Stream from {Remote} on {Hop} cannot be framed ({Fault}); connection closed")]
    public static partial void FramingFailed(ILogger logger, IPEndPoint remote, LocalHop hop, string fault);

    [LoggerMessage(EventId = SipLogEvents.TruncatedMessageDropped, Level = LogLevel.Warning, Message = "Connection with {Remote} on {Hop} closed in the middle of a message; {Bytes} bytes dropped")]
    public static partial void Truncated(ILogger logger, IPEndPoint remote, LocalHop hop, long bytes);

    [LoggerMessage(EventId = SipLogEvents.TlsValidationSkipped, Level = LogLevel.Warning, Message = "{Hop} accepts any TLS server certificate (SkipCertificateValidation): for labs only")]
    public static partial void ValidationSkipped(ILogger logger, LocalHop hop);
}
