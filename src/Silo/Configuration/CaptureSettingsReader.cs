using OrleansProxy.Sip.Capture;

namespace OrleansProxy.Silo.Configuration;

/// <summary>Reads and checks "Proxy:Capture" (only "Hep" so far), one fault per bad key.</summary>
internal static class CaptureSettingsReader
{
    public const string SectionName = "Capture";

    private const string HepSection = "Hep";

    // Homer's usual HEP port, for a collector given without one.
    private const int DefaultHepPort = 9060;

    private static readonly string[] CaptureKeys = [HepSection];

    private static readonly string[] HepKeys = ["Enabled", "Collector", "CaptureId", "QueueSize"];

    /// <returns>The settings when capture is on and sound; null when it is off or a fault was added.</returns>
    public static HepCaptureSettings? Read(IConfigurationSection proxy, List<ConfigurationFault> faults)
    {
        var capture = proxy.GetSection(SectionName);
        if (!string.IsNullOrEmpty(capture.Value))
        {
            faults.Add(new(capture.Path, $"must be a section with the keys {string.Join(", ", CaptureKeys)}"));
            return null;
        }

        SectionValues.RejectUnknown(capture, CaptureKeys, faults);
        var hep = capture.GetSection(HepSection);
        if (!string.IsNullOrEmpty(hep.Value))
        {
            faults.Add(new(hep.Path, $"must be a section with the keys {string.Join(", ", HepKeys)}"));
            return null;
        }

        var before = faults.Count;
        SectionValues.RejectUnknown(hep, HepKeys, faults);
        var enabled = SectionValues.ReadBool(hep, "Enabled", faults);
        var captureId = SectionValues.ReadInt(hep, "CaptureId", 0, 0, int.MaxValue, faults);
        var queueSize = SectionValues.ReadInt(hep, "QueueSize", HepSenderOptions.DefaultQueueSize, 1, 1_000_000, faults);
        HostPort collector = default;
        var collectorText = hep["Collector"];
        if (string.IsNullOrWhiteSpace(collectorText))
        {
            if (enabled)
            {
                faults.Add(new($"{hep.Path}:Collector", "is required when Enabled is true: the collector's host:port (UDP), e.g. 10.0.0.9:9060"));
            }
        }
        else if (!HostPort.TryParse(collectorText, DefaultHepPort, out collector, out var reason))
        {
            faults.Add(new($"{hep.Path}:Collector", $"'{collectorText}' is not host:port ({reason})"));
        }

        return enabled && faults.Count == before ? new HepCaptureSettings(collector, (uint)captureId, queueSize) : null;
    }
}
