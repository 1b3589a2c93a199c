using System.Net;
using OrleansProxy.Silo.Configuration;

namespace OrleansProxy.Silo.Sip;

/// <summary>What the SIP front-end needs from the validated configuration.</summary>
internal sealed record SipFrontEndSettings(
    IReadOnlyList<IPEndPoint> UdpListen,
    IReadOnlyList<string> Aliases,
    bool RecordRoute,
    string DefaultPair,
    int MaxMessageBytes,
    TransactionSettings Transactions);
