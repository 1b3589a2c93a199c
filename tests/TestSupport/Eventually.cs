using System.Diagnostics;

namespace OrleansProxy.TestSupport;

/// <summary>
/// Waits for a condition by polling, with a generous deadline: a test observes what a loop, a timer or another
/// process did, it never assumes how fast it did it.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="read"/> until its value meets <paramref name="condition"/>; fails after <paramref name="timeout"/> (20 s).</summary>
    public static async Task<T> Satisfies<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (clock.Elapsed > limit)
            {
                Assert.Fail($"Waited {limit.TotalSeconds} s for {what}; last seen: {value}");
            }

            await Task.Delay(Poll);
        }
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails after <paramref name="timeout"/> (20 s).</summary>
    public static Task Holds(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        Satisfies(() => Task.FromResult(condition()), holds => holds, what, timeout);
}
