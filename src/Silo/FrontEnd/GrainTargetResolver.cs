using System.Diagnostics;
using System.Net;
using OrleansProxy.Grains;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Routing.Location;
using OrleansProxy.Routing.Policy;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>
/// Carries out the <see cref="RoutingPolicy"/> per transaction: a pair becomes its active member (one grain call per
/// transaction; an ACK for a 2xx, which is none, takes the route the pair's grain last published), a
/// next hop an address (static route, IP literal, or the <see cref="INextHopLocator"/>). A request from a pair member
/// is first reported to its pair's grain (a request from the standby switches the pair at once, DESIGN.md rule 2).
/// While a pair has no serving member its requests wait in the <see cref="RequestHold"/>. Trouble with a member's
/// traffic is passed to its grain as a hint, which probes; it never switches the pair by itself. Each transaction reads
/// the <see cref="LiveRouting"/> snapshot once, so a reload costs it nothing and never mixes two configurations.
/// </summary>
internal sealed class GrainTargetResolver : ITargetResolver
{
    private const int RetryAfterSeconds = 5;
    private const string ShuttingDown = "Service Unavailable (this proxy is shutting down)";
    private const string NoActiveServer = "Service Unavailable (no active server)";

    private readonly LiveRouting routing;
    private readonly TlsServerNames serverNames;
    private readonly INextHopLocator locator;
    private readonly IDrainState drain;
    private readonly RequestHold hold;
    private readonly NodeMetrics metrics;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<GrainTargetResolver> logger;

    public GrainTargetResolver(
        LiveRouting routing,
        TlsServerNames serverNames,
        INextHopLocator locator,
        IDrainState drain,
        RequestHold hold,
        NodeMetrics metrics,
        TimeProvider timeProvider,
        ILogger<GrainTargetResolver> logger)
    {
        this.routing = routing;
        this.serverNames = serverNames;
        this.locator = locator;
        this.drain = drain;
        this.hold = hold;
        this.metrics = metrics;
        this.timeProvider = timeProvider;
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
        var snapshot = routing.Current;
        await ReportSenderAsync(snapshot, request.Source).ConfigureAwait(false);
        var choice = snapshot.Policy.Decide(request);
        if (request.Method == SipMethod.Ack && choice is RouteChoice.ToPair ack && hold.LatestPublished(ack.Pair) is { IsAvailable: true } published)
        {
            // An ACK for a 2xx is part of no transaction (RFC 3261 §17) and only has to follow the
            // dialog's pair to its active member: the route the grain published on its last change is that member, and
            // it saves a third of the grain calls of a call. Transactions still ask the grain, one call each.
            return ForwardTo(snapshot, published.ActiveMember!);
        }

        var decision = await CarryOutAsync(snapshot, choice, waitForServingMember: true, cancellationToken).ConfigureAwait(false);
        if (decision.Destination is null)
        {
            logger.RequestRefused(request.Method, request.Source, decision.StatusCode, decision.ReasonPhrase!);
        }

        return decision;
    }

    /// <summary>Turns the policy's choice into where to send, as live traffic does; /api/routes shows the same answer.</summary>
    /// <param name="snapshot">The snapshot whose policy made <paramref name="choice"/>.</param>
    /// <param name="waitForServingMember">
    /// Live traffic waits in the hold while the pair has no serving member; a sample of /api/routes says so at once.
    /// </param>
    public async ValueTask<RouteDecision> CarryOutAsync(RoutingSnapshot snapshot, RouteChoice choice, bool waitForServingMember, CancellationToken cancellationToken)
    {
        switch (choice)
        {
            case RouteChoice.ToPair toPair:
                return await ToActiveMemberAsync(snapshot, toPair.Pair, waitForServingMember, cancellationToken).ConfigureAwait(false);
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

    /// <remarks>
    /// A draining node says so too, so that clients that probe it move on before it stops. A pair without a serving
    /// member is reported only once it has been so for longer than the hold: until then its requests wait, and a
    /// client that moved to another proxy for a takeover's gap would gain nothing. An OPTIONS from a member is
    /// evidence like any request from it: from the standby, it switches the pair at once.
    /// </remarks>
    public async ValueTask<string?> WhyNotServingAsync(IPEndPoint source, CancellationToken cancellationToken)
    {
        if (drain.IsDraining)
        {
            return ShuttingDown;
        }

        var snapshot = routing.Current;
        var reported = await ReportSenderAsync(snapshot, source).ConfigureAwait(false);
        if (snapshot.Policy.PairServing(source) is not { } pair)
        {
            return NoActiveServer;
        }

        var route = reported is not null && reported.Pair == pair ? reported : await snapshot.Grains[pair].GetRoute().ConfigureAwait(false);
        return route.IsAvailable || route.UnavailableSince is not { } since || timeProvider.GetUtcNow() - since <= hold.Settings.Time
            ? null
            : NoActiveServer;
    }

    /// <remarks>
    /// Only a pair has another member to turn to, so only its probes are sped up. Any other next hop keeps its normal
    /// timers and is greylisted for DNS only once every retransmission went unanswered, never for one lost datagram.
    /// </remarks>
    public void ReportHint(IPEndPoint destination, TransactionFailure hint)
    {
        var snapshot = routing.Current;
        if (snapshot.Directory.Find(destination) is { } member)
        {
            _ = snapshot.Grains[member.Pair].ReportHint(member.Address, Describe(hint));
        }
        else if (hint == TransactionFailure.TimedOut)
        {
            locator.ReportFailure(destination);
        }
    }

    /// <remarks>
    /// A 503 is answered at once: either the pair already has another serving member, or the caller hears of it (an
    /// overloaded server is not waited for). A transaction lost with its hop waits in the hold for a newer route.
    /// A hop of a pair a reload removed is no pair member any longer: its transaction ends with the answer it has.
    /// </remarks>
    public async ValueTask<RouteDecision> ReportFailureAsync(IPEndPoint destination, TransactionFailure failure, CancellationToken cancellationToken)
    {
        var snapshot = routing.Current;
        if (snapshot.Directory.Find(destination) is not { } member)
        {
            // Not a pair member: a static route, an address a server named, or a DNS target; DNS skips it for a while.
            if (failure != TransactionFailure.ServiceUnavailable)
            {
                locator.ReportFailure(destination);
            }

            return default;
        }

        var grain = snapshot.Grains[member.Pair];
        _ = grain.ReportHint(member.Address, Describe(failure));
        var route = await grain.GetRoute().ConfigureAwait(false);
        if (route.ActiveMember is { } active && !string.Equals(active, member.Address, StringComparison.OrdinalIgnoreCase))
        {
            return ForwardTo(snapshot, active);
        }

        if (failure == TransactionFailure.ServiceUnavailable)
        {
            return default;
        }

        var held = await hold.WaitAsync(route, cancellationToken).ConfigureAwait(false);
        return held.Route is null
            ? RouteDecision.Reject(503, held.RefusedBecause!, RetryAfterSeconds)
            : ForwardTo(snapshot, held.Route.ActiveMember!);
    }

    // A grain whose members a reload changed after this transaction took its snapshot names a member only the
    // newer snapshot has.
    private RouteDecision ForwardTo(RoutingSnapshot snapshot, string member)
    {
        var target = snapshot.Directory.Find(member) ?? routing.FindMember(member)
            ?? throw new KeyNotFoundException($"'{member}' is not a member of any configured pair.");
        return RouteDecision.Forward(target.EndPoint, target.Transport) with { Egress = target.Egress };
    }

    /// <summary>The grain switches the pair when this member is its standby (DESIGN.md rule 2) and logs it.</summary>
    private static async ValueTask<PairRoute?> ReportSenderAsync(RoutingSnapshot snapshot, IPEndPoint source) =>
        snapshot.Directory.FindSender(source) is { } sender
            ? await snapshot.Grains[sender.Pair].ReportRequestFrom(sender.Address).ConfigureAwait(false)
            : null;

    private static string Describe(TransactionFailure failure) => failure switch
    {
        TransactionFailure.NoResponse => "no response in time",
        TransactionFailure.ServiceUnavailable => "answered 503",
        TransactionFailure.HopDown => "found down by its probes while the transaction waited",
        TransactionFailure.TimedOut => "no response to any retransmission",
        _ => "the request could not be sent",
    };

    private async ValueTask<RouteDecision> ToActiveMemberAsync(RoutingSnapshot snapshot, string pair, bool waitForServingMember, CancellationToken cancellationToken)
    {
        var route = await snapshot.Grains[pair].GetRoute().ConfigureAwait(false);
        if (!route.IsAvailable && !waitForServingMember)
        {
            return RouteDecision.Reject(503, $"Service Unavailable (pair {pair} has no serving member; requests wait up to {hold.Settings.Time.TotalMilliseconds:0} ms)", RetryAfterSeconds);
        }

        if (!route.IsAvailable)
        {
            var held = await hold.WaitAsync(route, cancellationToken).ConfigureAwait(false);
            if (held.Route is null)
            {
                return RouteDecision.Reject(503, held.RefusedBecause!, RetryAfterSeconds);
            }

            route = held.Route;
        }

        return ForwardTo(snapshot, route.ActiveMember!);
    }
}
