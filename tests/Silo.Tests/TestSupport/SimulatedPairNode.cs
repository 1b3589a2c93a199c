using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Demo;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// A simulated HA pair (primary active, backup a silent standby), a whole proxy node in front of it and a
/// caller bound to the node, all on loopback; started once the proxy has seen the primary answer.
/// </summary>
internal sealed class SimulatedPairNode : IAsyncDisposable
{
    private SimulatedPairNode(SimulatedSipServer primary, SimulatedSipServer backup, ProxyNode node, DemoUserAgent caller)
    {
        Primary = primary;
        Backup = backup;
        Node = node;
        Caller = caller;
    }

    public SimulatedSipServer Primary { get; }

    public SimulatedSipServer Backup { get; }

    public ProxyNode Node { get; }

    public DemoUserAgent Caller { get; }

    public static async Task<SimulatedPairNode> StartAsync(params string[] overrides)
    {
        var primary = StartServer("primary", ServerRole.Active);
        var backup = StartServer("backup", ServerRole.Standby);
        var node = await ProxyNode.StartAsync(primary.EndPoint, backup.EndPoint, overrides);
        var caller = DemoUserAgent.Bind(new IPEndPoint(IPAddress.Loopback, 0), node.Sip, DemoUserAgentOptions.Default, NullLogger<DemoUserAgent>.Instance, TimeProvider.System);
        var started = new SimulatedPairNode(primary, backup, node, caller);
        await node.WaitForPairAsync(status => status.Primary.Health == MemberHealth.Serving, "the primary to answer its probes");
        return started;
    }

    public static SimulatedSipServer StartServer(string name, ServerRole role, SimulatedSipServerOptions? options = null) =>
        SimulatedSipServer.Start(name, new IPEndPoint(IPAddress.Loopback, 0), role, options ?? SimulatedSipServerOptions.Default, NullLogger<SimulatedSipServer>.Instance, TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        await Caller.DisposeAsync();
        await Node.DisposeAsync();
        await Primary.DisposeAsync();
        await Backup.DisposeAsync();
    }
}
