using System.Diagnostics;
using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Sip.Proxy;

namespace OrleansProxy.Silo.Sip;

/// <summary>
/// The routing policy of DESIGN.md, one grain call per transaction: a user agent's request goes to its
/// pair's active member; a server's request goes where its Route / Request-URI points, and tells the
/// pair's grain it came from that member (a request from the standby switches the pair at once); any next
/// hop that is a pair member is replaced by that pair's active member, so in-dialog requests follow a switchover.
/// </summary>
internal sealed class GrainTargetResolver : ITargetResolver
{
    private const int RetryAfterSeconds = 5;

    private readonly IGrainFactory grains;
    private readonly PairDirectory directory;
    private readonly SipFrontEndSettings settings;
    private readonly IDrainState drain;
    private readonly NodeMetrics metrics;

    public GrainTargetResolver(IGrainFactory grains, PairDirectory directory, SipFrontEndSettings settings, IDrainState drain, NodeMetrics metrics)
    {
        this.grains = grains;
        this.directory = directory;
        this.settings = settings;
        this.drain = drain;
        this.metrics = metrics;
    }

    /// <remarks>
    /// While the node drains (SIGTERM) new transactions get 503 so that clients move to another instance.
    /// The drain counts a transaction until its target is resolved and it is sent on; in stateful mode the
    /// responses of a transaction already sent are not waited for.
    /// </remarks>
    public async ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken)
    {
        if (!drain.TryBeginTransaction())
        {
            return RouteDecision.Reject(503, "Service Unavailable (this proxy is shutting down)", RetryAfterSeconds);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var decision = await ResolveOnceAsync(request, cancellationToken).ConfigureAwait(false);
            metrics.RecordTargetResolution(Stopwatch.GetElapsedTime(started), "ok");
            return decision;
        }
        catch (TimeoutException)
        {
            metrics.RecordTargetResolution(Stopwatch.GetElapsedTime(started), "timeout");
            throw;
        }
        catch (Exception)
        {
            metrics.RecordTargetResolution(Stopwatch.GetElapsedTime(started), "error");
            throw;
        }
        finally
        {
            drain.EndTransaction();
        }
    }

    private async ValueTask<RouteDecision> ResolveOnceAsync(RoutingRequest request, CancellationToken cancellationToken)
    {
        var sender = directory.Find(request.Source);
        if (sender is not null)
        {
            // The grain switches the pair when this member is its standby (DESIGN.md rule 2) and logs it.
            await grains.GetGrain<IHaPairGrain>(sender.Pair).ReportRequestFrom(sender.Address).ConfigureAwait(false);
            return request.Target is null
                ? RouteDecision.Reject(404, "Not Found (a request from a server must name its next hop)")
                : await ToNextHopAsync(request.Target, cancellationToken).ConfigureAwait(false);
        }

        if (request.Target is not null && directory.Find(request.Target) is { } member)
        {
            return await ToActiveMemberAsync(member.Pair).ConfigureAwait(false);
        }

        return await ToActiveMemberAsync(settings.DefaultPair).ConfigureAwait(false);
    }

    public async ValueTask<bool> IsServingAsync(IPEndPoint source, CancellationToken cancellationToken)
    {
        var pair = directory.Find(source)?.Pair ?? settings.DefaultPair;
        var route = await grains.GetGrain<IHaPairGrain>(pair).GetRoute().ConfigureAwait(false);
        return route.IsAvailable;
    }

    public async ValueTask<IPEndPoint?> ReportFailureAsync(IPEndPoint destination, TransactionFailure failure, CancellationToken cancellationToken)
    {
        if (directory.Find(destination) is not { } member)
        {
            return null;
        }

        var retryOn = await grains.GetGrain<IHaPairGrain>(member.Pair).ReportTransactionFailure(member.Address, Describe(failure)).ConfigureAwait(false);
        return retryOn is null ? null : directory.EndPointOf(retryOn);
    }

    private static string Describe(TransactionFailure failure) => failure switch
    {
        TransactionFailure.NoResponse => "no response in time",
        TransactionFailure.ServiceUnavailable => "answered 503",
        _ => "the request could not be sent",
    };

    private async ValueTask<RouteDecision> ToNextHopAsync(NextHop target, CancellationToken cancellationToken)
    {
        if (directory.Find(target) is { } member)
        {
            return await ToActiveMemberAsync(member.Pair).ConfigureAwait(false);
        }

        if (target.Address is not null)
        {
            return RouteDecision.Forward(new IPEndPoint(target.Address, target.Port));
        }

        var addresses = await Dns.GetHostAddressesAsync(target.Host, cancellationToken).ConfigureAwait(false);
        return addresses.Length > 0
            ? RouteDecision.Forward(new IPEndPoint(addresses[0], target.Port))
            : RouteDecision.Reject(404, $"Not Found (cannot resolve {target.Host})");
    }

    private async ValueTask<RouteDecision> ToActiveMemberAsync(string pair)
    {
        var route = await grains.GetGrain<IHaPairGrain>(pair).GetRoute().ConfigureAwait(false);
        return route.ActiveMember is { } active
            ? RouteDecision.Forward(directory.EndPointOf(active))
            : RouteDecision.Reject(503, $"Service Unavailable (pair {pair} has no active server)", RetryAfterSeconds);
    }
}
