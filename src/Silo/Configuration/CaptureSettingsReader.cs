using System.Globalization;
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

        RejectUnknown(capture, CaptureKeys, faults);
        var hep = capture.GetSection(HepSection);
        if (!string.IsNullOrEmpty(hep.Value))
        {
            faults.Add(new(hep.Path, $"must be a section with the keys {string.Join(", ", HepKeys)}"));
            return null;
        }

        var before = faults.Count;
        RejectUnknown(hep, HepKeys, faults);
        var enabled = ReadBool(hep, "Enabled", faults);
        var captureId = ReadInt(hep, "CaptureId", 0, 0, int.MaxValue, faults);
        var queueSize = ReadInt(hep, "QueueSize", HepSenderOptions.DefaultQueueSize, 1, 1_000_000, faults);
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

    private static int ReadInt(IConfigurationSection section, string name, int fallback, int min, int max, List<ConfigurationFault> faults)
    {
        var text = section[name];
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            faults.Add(new($"{section.Path}:{name}", $"'{text}' is not a whole number from {min} to {max}"));
            return fallback;
        }

        return value;
    }

    private static bool ReadBool(IConfigurationSection section, string name, List<ConfigurationFault> faults)
    {
        var text = section[name];
        if (text is null)
        {
            return false;
        }

        if (!bool.TryParse(text, out var value))
        {
            faults.Add(new($"{section.Path}:{name}", $"'{text}' is not true or false"));
        }

        return value;
    }

    private static void RejectUnknown(IConfigurationSection section, string[] known, List<ConfigurationFault> faults)
    {
        foreach (var child in section.GetChildren())
        {
            if (!known.Contains(child.Key, StringComparer.OrdinalIgnoreCase))
            {
                faults.Add(new(child.Path, $"unknown key (known keys here: {string.Join(", ", known)})"));
            }
        }
    }
}
