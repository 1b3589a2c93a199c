using System.Diagnostics;

namespace OrleansProxy.Sip.Tests.Fuzzing;

/// <summary>
/// Mutates seed messages (a few edits each, sometimes spliced with another seed) and checks
/// <see cref="MessageInvariants"/> on every result. Deterministic for a seed, so a failure can be replayed.
/// </summary>
internal sealed class SipFuzzer(int seed, IReadOnlyList<byte[]> corpus)
{
    private const int MaxExamples = 10;

    private readonly Random random = new(seed);
    private readonly MessageInvariants invariants = new();

    /// <summary>Runs until <paramref name="maxMessages"/> are tried or <paramref name="budget"/> is spent, whichever is first.</summary>
    public FuzzReport Run(long maxMessages, TimeSpan budget)
    {
        var clock = Stopwatch.StartNew();
        var tried = 0L;
        var failures = 0L;
        var examples = new List<string>();
        var slowest = TimeSpan.Zero;
        while (tried < maxMessages && clock.Elapsed < budget)
        {
            var input = Next();
            var started = clock.Elapsed;
            var failure = invariants.Check(input);
            var took = clock.Elapsed - started;
            slowest = took > slowest ? took : slowest;
            tried++;
            if (failure is null)
            {
                continue;
            }

            failures++;
            if (examples.Count < MaxExamples)
            {
                examples.Add($"{failure} for {Convert.ToBase64String(input)}");
            }
        }

        return new FuzzReport(seed, tried, failures, slowest, examples);
    }

    private byte[] Next()
    {
        var bytes = corpus[random.Next(corpus.Count)];
        if (random.Next(8) == 0)
        {
            var other = corpus[random.Next(corpus.Count)];
            bytes = [.. bytes[..random.Next(bytes.Length + 1)], .. other[random.Next(other.Length + 1)..]];
        }

        for (var edits = random.Next(1, 6); edits > 0; edits--)
        {
            var kind = (MutationKind)random.Next(Enum.GetValues<MutationKind>().Length);
            bytes = new Mutation(kind, random.Next(), random.Next(1, 16), (byte)random.Next(256)).ApplyTo(bytes);
        }

        return bytes;
    }
}
