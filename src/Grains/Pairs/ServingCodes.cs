using System.Collections.Immutable;

namespace OrleansProxy.Grains.Pairs;

/// <summary>
/// Which answers to a probe mean "serving". Any other answer means alive but not serving (a standby's 503);
/// no answer means down.
/// </summary>
/// <param name="Classes">Whole classes, 2 for 2xx.</param>
/// <param name="Codes">Single codes, such as 404 from a server that answers OPTIONS only for known users.</param>
public sealed record ServingCodes(ImmutableArray<int> Classes, ImmutableArray<int> Codes)
{
    public static readonly ServingCodes Default = new([2], []);

    public bool IsServing(int statusCode) => Classes.Contains(statusCode / 100) || Codes.Contains(statusCode);

    // By content: a reload parses the same codes into new arrays, and an unchanged pair must compare equal.
    public bool Equals(ServingCodes? other) =>
        other is not null && Classes.AsSpan().SequenceEqual(other.Classes.AsSpan()) && Codes.AsSpan().SequenceEqual(other.Codes.AsSpan());

    public override int GetHashCode() => HashCode.Combine(Classes.Length, Codes.Length);

    public override string ToString() =>
        string.Join(", ", Classes.Select(c => $"{c}xx").Concat(Codes.Select(c => c.ToString(System.Globalization.CultureInfo.InvariantCulture))));
}
