using System.Net;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Routing;

namespace OrleansProxy.Silo.Sip;

/// <summary>What the SIP front-end needs from the validated configuration.</summary>
internal sealed record SipFrontEndSettings(
    IReadOnlyList<IPEndPoint> UdpListen,
    IReadOnlyList<string> Aliases,
    bool RecordRoute,
    RoutingTable Routing,
    int MaxMessageBytes,
    TransactionSettings Transactions);
