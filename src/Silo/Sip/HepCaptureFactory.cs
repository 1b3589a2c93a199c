using System.Net;
using System.Net.Sockets;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Capture;

namespace OrleansProxy.Silo.Sip;

/// <summary>Turns "Proxy:Capture:Hep" into a running <see cref="HepSender"/>, or none.</summary>
internal static partial class HepCaptureFactory
{
    /// <returns>A started sender, or null when capture is off or its collector cannot be resolved.</returns>
    public static async Task<HepSender?> StartAsync(HepCaptureSettings? settings, SipMetrics metrics, TimeProvider timeProvider, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        if (settings is null)
        {
            return null;
        }

        var logger = loggerFactory.CreateLogger<HepSender>();
        var collector = await ResolveAsync(settings.Collector, cancellationToken).ConfigureAwait(false);
        if (collector is null)
        {
            // Capture is for troubleshooting: a collector that cannot be found must not keep the proxy from serving.
            LogCollectorUnresolved(logger, settings.Collector.ToString());
            return null;
        }

        var sender = new HepSender(
            new HepSenderOptions { Collector = collector, CaptureId = settings.CaptureId, QueueSize = settings.QueueSize },
            metrics,
            logger,
            timeProvider);
        sender.Start();
        return sender;
    }

    private static async Task<IPEndPoint?> ResolveAsync(HostPort collector, CancellationToken cancellationToken)
    {
        if (collector.Address is { } address)
        {
            return new IPEndPoint(address, collector.Port);
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(collector.Host, cancellationToken).ConfigureAwait(false);
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
