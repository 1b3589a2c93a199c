using Orleans.Runtime;
using OrleansProxy.Silo.FrontEnd;

namespace OrleansProxy.Silo.Admin;

/// <summary>
/// Whether the node should receive traffic: the configuration was valid (or the host would not exist), every
/// hosted service started (the silo and the SIP listeners), the silo is active, the hot path is warmed up (or the warm-up
/// is off), and the node is not draining.
/// The SIP servers' health is deliberately not part of it: a node whose pair is down must stay in the pool to
/// answer 503, so that clients move on at once instead of timing out.
/// </summary>
internal sealed class NodeReadiness(IHostApplicationLifetime lifetime, ISiloStatusOracle silo, IDrainState drain, WarmUpProgress warmUp)
{
    public ReadinessReport Check() =>
        Decide(lifetime.ApplicationStarted.IsCancellationRequested, silo.CurrentStatus, warmUp.Status, drain.IsDraining);

    /// <param name="warmUpStatus">One of the <see cref="WarmUpProgress"/> states.</param>
    public static ReadinessReport Decide(bool started, SiloStatus siloStatus, string warmUpStatus, bool draining)
    {
        var warmedUp = warmUpStatus is WarmUpProgress.Off or WarmUpProgress.Done;
        return new ReadinessReport(
            started && siloStatus == SiloStatus.Active && warmedUp && !draining,
            Configuration: "loaded",
            Listeners: started ? "bound" : "starting",
            Silo: siloStatus.ToString(),
            WarmUp: warmUpStatus,
            Draining: draining);
    }
}
