using System.Collections.Frozen;
using System.Diagnostics;
using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Silo.Hosting;
using OrleansProxy.Silo.Routing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Sip;

/// <summary>
/// Carries out the <see cref="RoutingPolicy"/> per transaction: a pair becomes its active member (one grain call), a
/// next hop an address (static route, IP literal, or the <see cref="INextHopLocator"/>). A request from a pair member
/// is first reported to its pair's grain (a request from the standby switches the pair at once, DESIGN.md rule 2).
/// </summary>
internal sealed class GrainTargetResolver : ITargetResolver
{
    private const int RetryAfterSeconds = 5;
    private const string ShuttingDown = "Service Unavailable (this proxy is shutting down)";
    private const string NoActiveServer = "Service Unavailable (no active server)";

    private readonly FrozenDictionary<string, IHaPairGrain> pairGrains;
    private readonly PairDirectory directory;
    private readonly TlsServerNames serverNames;
    private readonly RoutingPolicy policy;
    private readonly INextHopLocator locator;
    private readonly IDrainState drain;
    private readonly NodeMetrics metrics;
    private readonly ILogger<GrainTargetResolver> logger;

    public GrainTargetResolver(
        IGrainFactory grains,
        IHaPairCatalog catalog,
        PairDirectory directory,
        TlsServerNames serverNames,
        RoutingPolicy policy,
        INextHopLocator locator,
        IDrainState drain,
        NodeMetrics metrics,
        ILogger<GrainTargetResolver> logger)
    {
        pairGrains = catalog.Pairs.ToFrozenDictionary(p => p.Name, p => grains.GetGrain<IHaPairGrain>(p.Name), StringComparer.Ordinal);
        this.directory = directory;
        this.serverNames = serverNames;
        this.policy = policy;
        this.locator = locator;
        this.drain = drain;
        this.metrics = metrics;
        this.logger = logger;
    }

    /// <remarks>
    /// While the node drains (SIGTERM) requests outside a dialog get 503 so that clients move to another
    /// instance; in-dialog ones (ACK, BYE, re-INVITE) still go through. The drain counts a transaction here until
    /// its target is resolved; in stateful mode the front-end makes it wait for the answers too.
    /// </remarks>
    public async ValueTask<RouteDecision> ResolveAsync(RoutingRequest request, CancellationToken cancellationToken)
    {
        if (!drain.TryBeginTransaction(request.InDialog))
        {
            return RouteDecision.Reject(503, ShuttingDown, RetryAfterSeconds);
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
        if (directory.FindSender(request.Source) is { } sender)
        {
            // The grain switches the pair when this member is its standby (DESIGN.md rule 2) and logs it.
            await pairGrains[sender.Pair].ReportRequestFrom(sender.Address).ConfigureAwait(false);
        }

        var decision = await CarryOutAsync(policy.Decide(request), cancellationToken).ConfigureAwait(false);
        if (decision.Destination is null)
        {
            logger.RequestRefused(request.Method, request.Source, decision.StatusCode, decision.ReasonPhrase!);
        }

        return decision;
    }

    /// <summary>Turns the policy's choice into where to send, as live traffic does; /api/routes shows the same answer.</summary>
    public async ValueTask<RouteDecision> CarryOutAsync(RouteChoice choice, CancellationToken cancellationToken)
    {
        switch (choice)
        {
            case RouteChoice.ToPair toPair:
                return await ToActiveMemberAsync(toPair.Pair).ConfigureAwait(false);
            case RouteChoice.ToAddress toAddress:
                return RouteDecision.Forward(toAddress.EndPoint, toAddress.Transport);
            case RouteChoice.ToLocate toLocate:
                var located = await locator.LocateAsync(toLocate.Hop, cancellationToken).ConfigureAwait(false);
                if (located is null)
                {
                    return RouteDecision.Reject(404, $"Not Found (cannot resolve {toLocate.Hop.Host})");
                }

                if (located.Transport == SipTransportKind.Tls && toLocate.Hop.Address is null)
                {
                    serverNames.Located(located.EndPoint, toLocate.Hop.Host);
                }

                return RouteDecision.Forward(located.EndPoint, located.Transport);
            default:
                var refuse = (RouteChoice.Refuse)choice;
                return RouteDecision.Reject(refuse.StatusCode, refuse.Reason);
        }
    }

    /// <remarks>A draining node says so too, so that clients that probe it move on before it stops.</remarks>
    public async ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken)
    {
        if (drain.IsDraining)
        {
            return ShuttingDown;
        }

        if (policy.PairServing(source) is not { } pair)
        {
            return NoActiveServer;
        }

        var route = await pairGrains[pair].GetRoute().ConfigureAwait(false);
        return route.IsAvailable ? null : NoActiveServer;
    }

    public async ValueTask<IPEndPoint?> ReportFailureAsync(IPEndPoint destination, TransactionFailure failure, CancellationToken cancellationToken)
    {
        if (directory.Find(destination) is not { } member)
        {
            // Not a pair member: a static route, an address a server named, or a DNS target; DNS skips it for a while.
            locator.ReportFailure(destination);
            return null;
        }

        var retryOn = await pairGrains[member.Pair].ReportTransactionFailure(member.Address, Describe(failure)).ConfigureAwait(false);
        return retryOn is null ? null : directory.EndPointOf(retryOn);
    }

    private static string Describe(TransactionFailure failure) => failure switch
    {
        TransactionFailure.NoResponse => "no response in time",
        TransactionFailure.ServiceUnavailable => "answered 503",
        TransactionFailure.HopDown => "found down by its probes while the transaction waited",
        _ => "the request could not be sent",
    };

    private async ValueTask<RouteDecision> ToActiveMemberAsync(string pair)
    {
        var route = await pairGrains[pair].GetRoute().ConfigureAwait(false);
        if (route.ActiveMember is not { } active)
        {
            return RouteDecision.Reject(503, $"Service Unavailable (pair {pair} has no active server)", RetryAfterSeconds);
        }

        var member = directory.MemberAt(active);
        return RouteDecision.Forward(member.EndPoint, member.Transport);
    }
}
