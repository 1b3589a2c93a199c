using System.Diagnostics;

namespace OrleansProxy.Grains.Tests.TestCommon;

/// <summary>
/// Waits for a condition by polling, with a generous deadline: grain tests observe what
/// the probe loop did, they never assume how fast it did it.
/// </summary>
internal static class Eventually
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(20);

    public static async Task<T> Until<T>(Func<Task<T>> read, Func<T, bool> condition, string description)
    {
        var clock = Stopwatch.StartNew();
        T value;
        do
        {
            value = await read();
            if (condition(value))
            {
                return value;
            }

            await Task.Delay(Poll);
        }
        while (clock.Elapsed < Deadline);

        throw new TimeoutException($"Waited {Deadline.TotalSeconds} s until {description}; last seen: {value}");
    }

    public static Task<int> Until(Func<int> read, Func<int, bool> condition, string description) =>
        Until(() => Task.FromResult(read()), condition, description);
}
