using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Capture;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Probing;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Sip;

/// <summary>
/// One OPTIONS prober per address family, made when the first member of that family is probed: probes leave
/// from the first address the proxy listens on in that family, so servers see the same host in probes and
/// traffic, or from the wildcard address when it listens on none.
/// </summary>
internal sealed class MemberProbers(
    IReadOnlyList<IPAddress> listenAddresses,
    StreamTransportOptions streamOptions,
    ProductName product,
    SipMetrics metrics,
    ILogger<OptionsProber> logger,
    TimeProvider timeProvider,
    ISipCapture? capture = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<AddressFamily, Lazy<OptionsProber>> probers = new();

    public Task<OptionsProbeResult> ProbeAsync(IPEndPoint target, SipTransportKind transport, TimeSpan timeout, CancellationToken cancellationToken) =>
        For(target.AddressFamily).ProbeAsync(target, transport, timeout, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        foreach (var prober in probers.Values)
        {
            if (prober.IsValueCreated)
            {
                await prober.Value.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private OptionsProber For(AddressFamily family) =>
        probers.GetOrAdd(family, static (family, self) => new Lazy<OptionsProber>(() => self.Bind(family)), this).Value;

    private OptionsProber Bind(AddressFamily family)
    {
        var source = listenAddresses.FirstOrDefault(address => address.AddressFamily == family)
            ?? (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any);
        return OptionsProber.Bind(source, streamOptions, metrics, logger, timeProvider, capture, product);
    }
}
