using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Simulation;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// A realistic simulated HA pair (primary active, backup a hot standby), a whole proxy node in front of it and a
/// caller bound to the node, all on loopback; started once the proxy has seen the primary answer.
/// </summary>
internal sealed class SimulatedPairNode : IAsyncDisposable
{
    private SimulatedPairNode(SimulatedHaPair pair, ProxyNode node, SimulatedCaller caller)
    {
        Pair = pair;
        Node = node;
        Caller = caller;
    }

    public SimulatedHaPair Pair { get; }

    public SimulatedServer Primary => Pair.Primary;

    public SimulatedServer Backup => Pair.Backup;

    public ProxyNode Node { get; }

    public SimulatedCaller Caller { get; }

    public static Task<SimulatedPairNode> StartAsync(params string[] overrides) => StartAsync(SimulatedHaPairOptions.Default, overrides);

    public static async Task<SimulatedPairNode> StartAsync(SimulatedHaPairOptions options, params string[] overrides)
    {
        var pair = SimulatedHaPair.Start(options);
        var node = await ProxyNode.StartAsync(pair.Primary.EndPoint, pair.Backup.EndPoint, overrides);
        var caller = StartCaller(node);
        var started = new SimulatedPairNode(pair, node, caller);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");
        return started;
    }

    public static SimulatedCaller StartCaller(ProxyNode node, SimulatedCallerOptions? options = null) =>
        SimulatedCaller.Bind(new IPEndPoint(IPAddress.Loopback, 0), node.Sip, options);

    public async ValueTask DisposeAsync()
    {
        await Caller.DisposeAsync();
        await Node.DisposeAsync();
        await Pair.DisposeAsync();
    }
}
