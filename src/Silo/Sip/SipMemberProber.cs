using OrleansProxy.Grains.Probing;
using OrleansProxy.Sip.Probing;

namespace OrleansProxy.Silo.Sip;

/// <summary>Gives the pair grains SIP OPTIONS probing: the grain names a member, this sends the OPTIONS.</summary>
internal sealed class SipMemberProber(OptionsProber prober, PairDirectory directory) : IMemberProber
{
    public async Task<ProbeResult> ProbeAsync(string member, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await prober.ProbeAsync(directory.EndPointOf(member), timeout, cancellationToken).ConfigureAwait(false);
        return new ProbeResult(result.Answered, result.RoundTrip, result.StatusCode);
    }
}
