using OrleansProxy.Sip.Capture;

namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Capture:Hep": every SIP message copied to a HEP v3 collector (Homer), off by default.</summary>
internal sealed class HepCaptureOptions : ISectionOptions
{
    /// <summary>Homer's usual HEP port, for a collector given without one.</summary>
    public const int DefaultPort = 9060;

    public bool Enabled { get; set; }

    /// <summary>The collector's host:port (UDP).</summary>
    public string? Collector { get; set; }

    public int CaptureId { get; set; }

    public int QueueSize { get; set; } = HepSenderOptions.DefaultQueueSize;

    public void ReadFrom(SectionReader section)
    {
        Enabled = section.Bool(nameof(Enabled), Enabled);
        Collector = section.Text(nameof(Collector));
        CaptureId = section.Int(nameof(CaptureId), CaptureId, 0, int.MaxValue);
        QueueSize = section.Int(nameof(QueueSize), QueueSize, 1, 1_000_000);
    }

    /// <returns>The settings when capture is on; null when it is off (or at fault, which stops start-up anyway).</returns>
    public HepCaptureSettings? Validate(SectionFaults section)
    {
        HostPort collector = default;
        if (Collector is null)
        {
            if (Enabled)
            {
                section.Add(nameof(Collector), $"is required when {nameof(Enabled)} is true: the collector's host:port (UDP), e.g. 10.0.0.9:{DefaultPort}");
            }
        }
        else if (!HostPort.TryParse(Collector, DefaultPort, out collector, out var reason))
        {
            section.Add(nameof(Collector), $"'{Collector}' is not host:port ({reason})");
        }

        return Enabled ? new HepCaptureSettings(collector, (uint)CaptureId, QueueSize) : null;
    }
}
