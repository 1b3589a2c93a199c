namespace OrleansProxy.Sip.Transport;

/// <summary>Why a stream connection closed, as counted in orleansproxy.sip.connections.closed and logged.</summary>
internal static class StreamCloseReason
{
    public const string Idle = "idle";
    public const string ByPeer = "peer_closed";
    public const string Malformed = "malformed";
    public const string SendFailed = "send_failed";
    public const string WriteStalled = "write_stalled";
    public const string TlsFailed = "tls_failed";
    public const string Stopping = "stopping";
}
