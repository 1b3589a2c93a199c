using System.Collections;

namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Every fault the sources, the reader and the validators find, in the order found. Nothing stops at the first: an
/// operator fixes all of them in one go.
/// </summary>
internal sealed class ConfigurationFaults : IReadOnlyList<ConfigurationFault>
{
    private readonly List<ConfigurationFault> faults;

    public ConfigurationFaults(IEnumerable<ConfigurationFault>? earlier = null)
    {
        faults = earlier is null ? [] : [.. earlier];
    }

    public int Count => faults.Count;

    public ConfigurationFault this[int index] => faults[index];

    public void Add(string key, string message) => faults.Add(new(key, message));

    /// <summary>A check against a key already at fault would only repeat that fault.</summary>
    public bool HasAt(string key) => faults.Exists(fault => string.Equals(fault.Key, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>A fault at the key or at any key below it.</summary>
    public bool HasWithin(string key) =>
        faults.Exists(fault => fault.Key.Equals(key, StringComparison.OrdinalIgnoreCase) ||
                               fault.Key.StartsWith(key + ConfigurationPath.KeyDelimiter, StringComparison.OrdinalIgnoreCase));

    public IEnumerator<ConfigurationFault> GetEnumerator() => faults.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
