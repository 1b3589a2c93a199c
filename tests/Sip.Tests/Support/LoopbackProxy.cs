using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Support;

/// <summary>
/// A stateful or stateless proxy on real sockets: a UDP and a TCP listener on IPv4 loopback, ephemeral ports, no
/// aliases (Record-Route names the listeners). Timers run on real time; the failover time-out is long enough that
/// no test reaches it.
/// </summary>
internal sealed class LoopbackProxy : IAsyncDisposable
{
    private readonly StatefulProxy? stateful;

    private LoopbackProxy(UdpListener udp, StreamTransport tcp, StatefulProxy? stateful)
    {
        Udp = udp;
        Tcp = tcp;
        this.stateful = stateful;
    }

    public UdpListener Udp { get; }

    public StreamTransport Tcp { get; }

    public static LoopbackProxy Start(bool stateful, ITargetResolver resolver, ProxyCoreOptions core, SipMetrics metrics)
    {
        var loopback = new IPEndPoint(IPAddress.Loopback, 0);
        var udp = UdpListener.Bind(loopback, NullLogger.Instance, metrics);
        var tcp = StreamTransport.Bind(SipTransportKind.Tcp, loopback, new StreamTransportOptions(), NullLogger.Instance, metrics);
        var identity = new ProxyIdentity([udp, tcp], []);
        StatefulProxy? transactions = null;
        ISipMessageHandler handler;
        if (stateful)
        {
            transactions = new StatefulProxy(identity, resolver, new StatefulProxyOptions { Core = core, NoResponseTimeout = TimeSpan.FromSeconds(30) }, metrics, TimeProvider.System, NullLoggerFactory.Instance);

            // As the node wires it: a lost connection fails the transactions waiting on it at once.
            tcp.ConnectionLost += transactions.OnConnectionLost;
            handler = transactions;
        }
        else
        {
            handler = new StatelessProxy(identity, resolver, core, metrics, NullLogger<StatelessProxy>.Instance);
        }

        udp.Start(handler, maxPending: 16);
        tcp.Start(handler, maxPending: 16);
        return new LoopbackProxy(udp, tcp, transactions);
    }

    /// <summary>A TCP socket listening on the port of <paramref name="udp"/>, as a server that takes both on one port does.</summary>
    public static Socket ListenOnTcpAsWell(UdpListener udp)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.Bind(udp.Hop.EndPoint);
            socket.Listen(16);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        stateful?.Stop();
        await Udp.DisposeAsync();
        await Tcp.DisposeAsync();
    }
}
