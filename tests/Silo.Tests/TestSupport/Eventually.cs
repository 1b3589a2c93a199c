namespace OrleansProxy.Silo.Tests.TestSupport;

internal static class Eventually
{
    /// <summary>Polls until <paramref name="condition"/> holds; fails after <paramref name="timeout"/> (default 20 s).</summary>
    public static async Task<T> Satisfies<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting for {what}; last value: {value}");
            }

            await Task.Delay(50);
        }
    }
}
