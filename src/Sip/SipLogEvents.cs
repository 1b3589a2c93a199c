namespace OrleansProxy.Sip;

/// <summary>Event ids of the SIP layer (1000-1999; the other assemblies have their own thousands), in one place so that they stay unique and greppable.</summary>
internal static class SipLogEvents
{
    public const int ListenerStarted = 1000;
    public const int ListenerStopped = 1001;
    public const int ReceiveFailed = 1002;
    public const int SendFailed = 1003;
    public const int HandlerFailed = 1004;
    public const int DrainIncomplete = 1005;
    public const int ConnectionOpened = 1006;
    public const int ConnectionClosed = 1007;
    public const int ConnectionRefused = 1008;
    public const int ConnectionIdle = 1009;
    public const int ConnectFailed = 1010;
    public const int TlsHandshakeFailed = 1011;
    public const int StreamFramingFailed = 1012;
    public const int TruncatedMessageDropped = 1013;
    public const int TlsValidationSkipped = 1014;
    public const int AcceptFailed = 1015;
    public const int WriteStalled = 1016;

    public const int MalformedRequest = 1100;
    public const int MalformedResponseDropped = 1101;
    public const int ResponseNotOursDropped = 1102;
    public const int RequestRejected = 1103;
    public const int LoopDetected = 1104;
    public const int ResolverFailed = 1105;
    public const int ResolverTimedOut = 1106;
    public const int ResolverRetried = 1107;
    public const int FlowRefused = 1120;

    public const int ProbeSocketFailed = 1200;
    public const int ProbeResponseUnmatched = 1201;

    public const int TransactionTableFull = 1300;
    public const int TransactionFailover = 1301;
    public const int TransactionFailed = 1302;
    public const int TransactionCallbackFailed = 1303;

    public const int CaptureStarted = 1400;
    public const int CaptureDropped = 1401;

    public const int SourceBlocked = 1500;
    public const int InviteCapReached = 1501;
    public const int QueueDelayReached = 1502;
}
