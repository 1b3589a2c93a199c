namespace OrleansProxy.Grains.Probing;

/// <summary>
/// Sends one liveness probe (SIP OPTIONS in production) to a pair member. The grain
/// knows nothing of sockets; the host supplies the implementation.
/// </summary>
public interface IMemberProber
{
    /// <param name="member">"host:port" as configured.</param>
    /// <param name="timeout">How long to wait for any answer.</param>
    Task<ProbeResult> ProbeAsync(string member, TimeSpan timeout, CancellationToken cancellationToken);
}
