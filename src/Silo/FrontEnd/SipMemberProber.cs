using OrleansProxy.Grains.Probing;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>
/// Gives the pair grains SIP OPTIONS probing: the grain names a member, this sends the OPTIONS over the member's
/// transport, so a TCP or TLS member whose connection cannot be made counts as not answering.
/// </summary>
internal sealed class SipMemberProber(MemberProbers probers, LiveRouting routing) : IMemberProber
{
    public async Task<ProbeResult> ProbeAsync(string member, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var target = routing.FindMember(member)
            ?? throw new KeyNotFoundException($"'{member}' is not a member of any configured pair.");
        var result = await probers.ProbeAsync(target.EndPoint, target.Transport, target.Egress, timeout, cancellationToken).ConfigureAwait(false);
        return new ProbeResult(result.Answered, result.RoundTrip, result.StatusCode);
    }
}
