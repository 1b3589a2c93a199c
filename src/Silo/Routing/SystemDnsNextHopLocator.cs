using System.Net;
using System.Net.Sockets;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Routing;

/// <summary>
/// A stand-in for RFC 3263 server location until the DNS locator is merged: A/AAAA through the operating system's
/// resolver only, no SRV or NAPTR, no caching of its own and no greylist.
/// </summary>
internal sealed class SystemDnsNextHopLocator(ILogger<SystemDnsNextHopLocator> logger) : INextHopLocator
{
    public async ValueTask<LocatedTarget?> LocateAsync(NextHop hop, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await Dns.GetHostAddressesAsync(hop.Host, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            logger.SystemDnsLookupFailed(hop.Host, e.Message);
            return null;
        }

        return addresses.Length > 0
            ? new LocatedTarget(new IPEndPoint(addresses[0], hop.Port), hop.Transport ?? SipTransportKind.Udp)
            : null;
    }

    /// <summary>Without a greylist the next lookup may return the same address; the DNS locator skips it for a while.</summary>
    public void ReportFailure(IPEndPoint endPoint)
    {
    }
}
