namespace OrleansProxy.Sip.Tests.Fuzzing;

/// <param name="Examples">The first failures, each with its input in base64 so it can be replayed.</param>
internal sealed record FuzzReport(int Seed, long Tried, long Failures, TimeSpan Slowest, IReadOnlyList<string> Examples)
{
    public override string ToString() =>
        $"seed {Seed}: {Tried} messages tried, {Failures} failures, slowest {Slowest.TotalMilliseconds:0.###} ms" +
        string.Concat(Examples.Select(example => Environment.NewLine + "  " + example));
}
