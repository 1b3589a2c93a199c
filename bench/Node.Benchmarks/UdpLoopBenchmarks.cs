using BenchmarkDotNet.Attributes;

namespace OrleansProxy.Node.Benchmarks;

/// <summary>
/// The UDP send/receive loop: one INVITE-sized datagram to the proxy's UdpListener and its echo back, one at a time,
/// against the same round trip between two bare sockets. The difference is the listener's own cost per message
/// (receive loop, buffer rental, handler dispatch, send).
/// </summary>
[MemoryDiagnoser]
public class UdpLoopBenchmarks
{
    private UdpEchoRig? rig;

    [GlobalSetup]
    public void Start() => rig = UdpEchoRig.Start();

    [GlobalCleanup]
    public async Task StopAsync()
    {
        if (rig is not null)
        {
            await rig.DisposeAsync();
        }
    }

    [Benchmark(Baseline = true, Description = "bare sockets round trip")]
    public Task<int> BareSockets() => rig!.RoundTripAsync(rig.BareEcho);

    [Benchmark(Description = "UdpListener round trip")]
    public Task<int> Listener() => rig!.RoundTripAsync(rig.ListenerEcho);
}
