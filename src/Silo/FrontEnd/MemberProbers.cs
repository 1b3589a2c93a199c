using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Capture;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Probing;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>
/// One OPTIONS prober per listener address probes leave from, made when the first member is probed from it, so that
/// servers see the same host in probes and traffic: the listener the member's pair names as its egress, else the
/// first the proxy listens on in the member's address family, or the wildcard address when it listens on none.
/// Probes name the listener's advertised host, never the wildcard address.
/// </summary>
internal sealed class MemberProbers(
    IReadOnlyList<ListenEndpoint> listeners,
    StreamTransportOptions streamOptions,
    ProductName product,
    SipMetrics metrics,
    ILogger<OptionsProber> logger,
    TimeProvider timeProvider,
    ISipCapture? capture = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<(IPAddress Address, string? Advertised), Lazy<OptionsProber>> probers = new();

    /// <param name="egress">The listener (its bound endpoint) the member's pair names as its egress; null for none.</param>
    public Task<OptionsProbeResult> ProbeAsync(IPEndPoint target, SipTransportKind transport, IPEndPoint? egress, TimeSpan timeout, CancellationToken cancellationToken) =>
        For(SourceFor(target.AddressFamily, egress)).ProbeAsync(target, transport, timeout, cancellationToken);

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

    private (IPAddress Address, string? Advertised) SourceFor(AddressFamily family, IPEndPoint? egress)
    {
        // A reload may name an egress listener the running node does not have (listeners change at a restart only).
        var source = egress is null ? null : listeners.FirstOrDefault(listener => listener.EndPoint.Equals(egress));
        if ((source ?? listeners.FirstOrDefault(listener => listener.EndPoint.AddressFamily == family)) is { } listener)
        {
            return (listener.EndPoint.Address, listener.Advertise?.Host);
        }

        return (family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, null);
    }

    private OptionsProber For((IPAddress Address, string? Advertised) source) =>
        probers.GetOrAdd(source, static (source, self) => new Lazy<OptionsProber>(() => self.Bind(source)), this).Value;

    private OptionsProber Bind((IPAddress Address, string? Advertised) source) =>
        OptionsProber.Bind(source.Address, streamOptions, metrics, logger, timeProvider, capture, source.Advertised, product);
}
