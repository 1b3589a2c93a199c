using System.Net;

namespace OrleansProxy.Silo.Tests.Sipp;

/// <summary>
/// One run of Sipp/uac.xml: <paramref name="Calls"/> INVITE dialogs placed at
/// <paramref name="CallsPerSecond"/> to <paramref name="Target"/> (the proxy, or a UAS
/// directly). The process is killed when <paramref name="TimeLimit"/> has passed.
/// A <paramref name="LocalBind"/> with port 0 gets a free port.
/// </summary>
internal sealed record SippUacOptions(IPEndPoint LocalBind, IPEndPoint Target, int Calls, int CallsPerSecond, TimeSpan TimeLimit)
{
    /// <summary>The pause between the ACK and the BYE (sipp <c>-d</c>).</summary>
    public TimeSpan CallDuration { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long each expected response may take before sipp fails the call
    /// (<c>-recv_timeout</c>); shorter than the 31.5 s that sipp's INVITE retransmissions
    /// would run, so a lost request fails its call instead of holding the run.
    /// </summary>
    public TimeSpan ReceiveTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public SippTransport Transport { get; init; } = SippTransport.Udp;
}
