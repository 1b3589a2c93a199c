namespace OrleansProxy.Silo.Configuration;

/// <summary>
/// Values that one key each may hold (a pair's name, a member, a route's domain): a second key that claims a value is a
/// fault naming the key that holds it, so the operator sees which of the two to change.
/// </summary>
internal sealed class ClaimedValues<T>(IEqualityComparer<T>? comparer = null)
    where T : notnull
{
    private readonly Dictionary<T, string> holders = new(comparer);

    /// <param name="fault">Given the key that holds the value, the fault's text.</param>
    /// <param name="holder">The key this claim is remembered by; <paramref name="key"/> when not given.</param>
    /// <returns>False, with a fault under <paramref name="key"/>, when another key holds the value.</returns>
    public bool Claim(T value, SectionFaults key, Func<string, string> fault, string? holder = null)
    {
        if (holders.TryAdd(value, holder ?? key.Path))
        {
            return true;
        }

        key.Add(fault(holders[value]));
        return false;
    }
}
