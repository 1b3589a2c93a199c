using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// The faults of one key and the keys below it: a validator is handed the key of its section and names every fault by
/// the full path it derives from it (e.g. "Proxy:Pairs:2:Primary"), so no key path is typed out by hand.
/// </summary>
internal readonly record struct SectionFaults(ConfigurationFaults Faults, string Path)
{
    public SectionFaults Child(string name) => new(Faults, ConfigurationPath.Combine(Path, name));

    /// <summary>The entry at <paramref name="index"/> of the list this key holds.</summary>
    public SectionFaults Entry(int index) => Child(index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The full key of <paramref name="name"/>, for faults that point at another key.</summary>
    public string Key(string name) => ConfigurationPath.Combine(Path, name);

    public void Add(string message) => Faults.Add(Path, message);

    public void Add(string name, string message) => Faults.Add(Key(name), message);

    /// <param name="hint">What the value is, e.g. "host:port"; none for a self-explaining key.</param>
    /// <returns>False, with a fault "is required", when <paramref name="text"/> is not set.</returns>
    public bool IsSet([NotNullWhen(true)] string? text, string? hint = null)
    {
        if (text is not null)
        {
            return true;
        }

        Add(hint is null ? "is required" : $"is required ({hint})");
        return false;
    }

    /// <returns>True when the key is usable for cross-key checks: not already at fault and in range.</returns>
    public bool InRange(int value, string name, int min, int max)
    {
        if (Faults.HasAt(Key(name)))
        {
            return false;
        }

        if (value < min || value > max)
        {
            Add(name, $"{Number(value)} is out of range ({Number(min)}-{Number(max)})");
            return false;
        }

        return true;
    }

    /// <summary>The reader refuses a malformed list as a whole; a fault for its being empty would only repeat that.</summary>
    public bool HasAny => Faults.HasWithin(Path);

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
