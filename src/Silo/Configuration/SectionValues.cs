using System.Globalization;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Reads one value of a configuration section with its range, adding a fault that names the key instead of
/// throwing, so that every bad key is reported at once; shared by the section readers.
/// </summary>
internal static class SectionValues
{
    public static int ReadInt(IConfigurationSection section, string name, int fallback, int min, int max, List<ConfigurationFault> faults)
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

    public static bool ReadBool(IConfigurationSection section, string name, List<ConfigurationFault> faults)
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

    public static void RejectUnknown(IConfigurationSection section, string[] known, List<ConfigurationFault> faults)
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
