using System.Net;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Support;

internal static class Hops
{
    public static readonly LocalHop Proxy = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060));

    public static readonly ProxyIdentity Identity = new([Proxy], ["sip-proxy.example.com"]);
}
