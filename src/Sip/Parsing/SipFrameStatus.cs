namespace OrleansProxy.Sip.Parsing;

/// <summary>What <see cref="SipFramer.TryFrame"/> found at the start of a stream buffer.</summary>
public enum SipFrameStatus : byte
{
    /// <summary>No whole message yet; nothing was consumed.</summary>
    Incomplete = 0,

    /// <summary>One whole message was framed.</summary>
    Message,

    /// <summary>CR/LF bytes between messages (RFC 5626 keep-alives) were consumed; call again for what follows.</summary>
    KeepAlive,

    /// <summary>The stream cannot be framed any further (no or bad Content-Length, over the limits): close the connection.</summary>
    Malformed,
}
