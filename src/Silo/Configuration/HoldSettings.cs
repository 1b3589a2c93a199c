namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Failover:HoldMs" and "HoldMaxRequests": how long and how many requests wait while a pair has no serving member.</summary>
/// <param name="Time">Zero turns the hold off: requests for such a pair get 503 at once.</param>
internal sealed record HoldSettings(TimeSpan Time, int MaxRequests)
{
    public static readonly HoldSettings Default = new(TimeSpan.FromMilliseconds(5000), 1000);
}
