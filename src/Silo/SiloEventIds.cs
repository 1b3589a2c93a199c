namespace OrleansProxy.Silo;

/// <summary>
/// Every event id this executable logs with, kept in one place so ids never collide.
/// Ranges: 1000-1099 hosting, 1100-1199 admin API, 1200-1299 diagnostics, 1300-1399 routing, 9000-9299 the demo's simulated peers.
/// </summary>
internal static class SiloEventIds
{
    public const int PairStarted = 1000;
    public const int HostFailed = 1001;
    public const int DrainStarted = 1010;
    public const int DrainFinished = 1011;
    public const int DrainTimedOut = 1012;

    public const int OperatorSwitchover = 1100;
    public const int SwitchoverRefused = 1101;

    public const int PairStatusPollFailed = 1200;
    public const int PairStatusPollRecovered = 1201;

    public const int DnsLookupTimedOut = 1300;
    public const int DnsLookupFailed = 1301;
    public const int NextHopTargetGreylisted = 1302;
    public const int NextHopNotLocated = 1303;
    public const int RequestRefused = 1304;
    public const int RoutingConfigured = 1305;
    public const int HoldReleased = 1306;
    public const int HoldExpired = 1307;
    public const int HoldFull = 1308;

    public const int SocketReceiveFailed = 9000;
    public const int SocketSendFailed = 9001;
    public const int SocketHandlerFailed = 9002;

    public const int ServerStarted = 9100;
    public const int ServerPromoted = 9101;
    public const int ServerCrashed = 9102;
    public const int ServerMalformedMessage = 9103;
    public const int ServerOptionsIgnored = 9104;
    public const int ServerCallAnswered = 9105;
    public const int ServerCallCancelled = 9106;
    public const int ServerCallNeverAcknowledged = 9107;
    public const int ServerCallTableFull = 9108;
    public const int ServerRequestSent = 9109;
    public const int ServerResponseUnmatched = 9110;

    public const int AgentStarted = 9200;
    public const int AgentCallSucceeded = 9201;
    public const int AgentCallFailed = 9202;
    public const int AgentMessageDropped = 9203;
    public const int AgentResponseUnmatched = 9204;
}
