using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Tests.TestSupport;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// Two sipp UAS as the primary and the backup of the pair that a whole proxy node fronts, started
/// and checked the way an operator would find them: both answering probes, the primary active.
/// Disposing stops the node first, so that nothing probes or forwards to the UAS while they go.
/// </summary>
internal sealed class ProxiedSippPair : IAsyncDisposable
{
    // Longer than any test runs; the UAS would otherwise stop taking calls on its own.
    private static readonly TimeSpan UasLifetime = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan UacTimeLimit = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan CountsTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan CountsPollInterval = TimeSpan.FromMilliseconds(250);

    private ProxiedSippPair(SippProcess primary, SippProcess backup, ProxyNode node, SippTransport transport)
    {
        Transport = transport;
        Primary = primary;
        Backup = backup;
        Node = node;
    }

    public SippProcess Primary { get; }

    public SippProcess Backup { get; }

    public ProxyNode Node { get; }

    public SippTransport Transport { get; }

    /// <summary>The proxy's listener for <see cref="Transport"/>.</summary>
    public IPEndPoint ProxyEndPoint => Node.ListenerOf(Transport == SippTransport.Udp ? SipTransportKind.Udp : SipTransportKind.Tcp);

    /// <param name="transport">How the UAC reaches the proxy and the proxy the UASes; the proxy listens on UDP and TCP.</param>
    public static async Task<ProxiedSippPair> StartAsync(SippTransport transport = SippTransport.Udp)
    {
        var anyPort = new IPEndPoint(IPAddress.Loopback, 0);
        var primary = await SippProcess.StartUasAsync(anyPort, UasLifetime, CancellationToken.None, transport);
        SippProcess? backup = null;
        ProxyNode? node = null;
        try
        {
            backup = await SippProcess.StartUasAsync(anyPort, UasLifetime, CancellationToken.None, transport);
            node = await ProxyNode.StartAsync(
                primary.MemberAddress,
                backup.MemberAddress,
                [$"udp://{FreePort.Udp()}", $"tcp://127.0.0.1:{FreePort.Tcp()}"],
                ProxyNode.TolerantProbes);
            await node.WaitForPairAsync(
                status => status is { Available: true, ActiveRole: MemberRole.Primary }
                    && AnsweredLastProbe(status.Primary)
                    && AnsweredLastProbe(status.Backup),
                "both members up with the primary active");
            return new ProxiedSippPair(primary, backup, node, transport);
        }
        catch
        {
            if (node is not null)
            {
                await node.DisposeAsync();
            }

            backup?.Dispose();
            primary.Dispose();
            throw;
        }
    }

    public static bool AnsweredLastProbe(MemberStatus member) =>
        member is { Health: MemberHealth.Serving, ConsecutiveFailures: 0 };

    /// <summary>Places <paramref name="calls"/> dialogs through the proxy from a UAC of their own.</summary>
    /// <param name="uacTransport">How the UAC reaches the proxy when not as the UASes do (e.g. a TCP connection per call).</param>
    public Task<SippUacResult> RunCallsAsync(int calls, int callsPerSecond, TimeSpan receiveTimeout, SippTransport? uacTransport = null) =>
        SippProcess.RunUacAsync(
            new SippUacOptions(new IPEndPoint(IPAddress.Loopback, 0), ProxyEndPoint, calls, callsPerSecond, UacTimeLimit) { ReceiveTimeout = receiveTimeout, Transport = uacTransport ?? Transport },
            CancellationToken.None);

    /// <summary>
    /// The UAS's message counts once <paramref name="condition"/> holds, or the last ones read after 15 s;
    /// sipp writes them once a second, so the last messages of a run show up to a second late.
    /// </summary>
    public static async Task<SippMessageCounts?> CountsWhenAsync(SippProcess uas, Func<SippMessageCounts, bool> condition)
    {
        var counts = uas.ReadMessageCounts();
        for (var poll = 0; poll < CountsTimeout / CountsPollInterval && (counts is null || !condition(counts)); poll++)
        {
            await Task.Delay(CountsPollInterval);
            counts = uas.ReadMessageCounts();
        }

        return counts;
    }

    public async ValueTask DisposeAsync()
    {
        await Node.DisposeAsync();
        Backup.Dispose();
        Primary.Dispose();
    }
}
