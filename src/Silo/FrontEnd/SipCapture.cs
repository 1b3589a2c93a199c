using System.Net;
using System.Net.Sockets;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Capture;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>
/// The node's one HEP sender, or none when "Proxy:Capture:Hep" is off. A singleton of its own because the probers
/// start with the silo, before the listeners: both hand their messages to the same sender, which the container
/// disposes after them, so their last messages still go out.
/// </summary>
internal sealed partial class SipCapture : IAsyncDisposable
{
    private readonly HepSender? sender;

    public SipCapture(SipFrontEndSettings settings, SipMetrics metrics, TimeProvider timeProvider, ILoggerFactory loggerFactory)
    {
        if (settings.Capture is not { } capture)
        {
            return;
        }

        var logger = loggerFactory.CreateLogger<HepSender>();
        var collector = Resolve(capture.Collector);
        if (collector is null)
        {
            // Capture is for troubleshooting: a collector that cannot be found must not keep the proxy from serving.
            LogCollectorUnresolved(logger, capture.Collector.ToString());
            return;
        }

        sender = new HepSender(
            new HepSenderOptions { Collector = collector, CaptureId = capture.CaptureId, QueueSize = capture.QueueSize },
            metrics,
            logger,
            timeProvider);
        sender.Start();
    }

    /// <summary>What the transports and probers report to; null when capture is off.</summary>
    public ISipCapture? Capture => sender;

    public async ValueTask DisposeAsync()
    {
        if (sender is not null)
        {
            await sender.DisposeAsync().ConfigureAwait(false);
        }
    }

    // Once, at start: the container builds this synchronously, and a collector that moves needs a restart anyway.
    private static IPEndPoint? Resolve(HostPort collector)
    {
        if (collector.Address is { } address)
        {
            return new IPEndPoint(address, collector.Port);
        }

        try
        {
            var addresses = Dns.GetHostAddresses(collector.Host);
            var chosen = Array.Find(addresses, a => a.AddressFamily == AddressFamily.InterNetwork) ?? (addresses.Length > 0 ? addresses[0] : null);
            return chosen is null ? null : new IPEndPoint(chosen, collector.Port);
        }
        catch (SocketException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = SiloEventIds.CaptureCollectorUnresolved, Level = LogLevel.Error,
        Message = "Proxy:Capture:Hep:Collector {Collector} does not resolve; SIP capture is off until the next start")]
    private static partial void LogCollectorUnresolved(ILogger logger, string collector);
}
