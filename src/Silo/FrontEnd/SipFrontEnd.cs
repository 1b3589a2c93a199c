using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OrleansProxy.Grains;
using OrleansProxy.Grains.Pairs;
using OrleansProxy.Silo.Configuration;
using OrleansProxy.Silo.Diagnostics;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Overload;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;
using OrleansProxy.Sip.WarmUp;

namespace OrleansProxy.Silo.FrontEnd;

/// <summary>
/// Binds the SIP listeners and runs the proxy core on them. Registered after the Orleans silo, so the grains answer
/// before the first request arrives. A pair's grain tells it when the route changes (held requests leave) and when a
/// member is lost (the transactions waiting on it move to the active member).
/// </summary>
internal sealed class SipFrontEnd(
    SipFrontEndSettings settings,
    IHaPairCatalog catalog,
    LiveRouting routing,
    TlsServerNames serverNames,
    IDrainState drain,
    IGrainFactory grains,
    ITargetResolver resolver,
    RequestHold hold,
    SipCapture sipCapture,
    SipMetrics metrics,
    OverloadControl overload,
    ReceiveQueueDelay queueDelay,
    NodeMetrics nodeMetrics,
    TimeProvider timeProvider,
    WarmUpProgress warmUpProgress,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable, IPairListener
{
    // Messages being handled at once per listener (waiting on a grain call, or held while their pair has no serving
    // member); past it the socket is read no faster than they finish. Above the default hold bound, so that a
    // takeover's held requests leave room for the responses and the new active member's requests that end the hold.
    private const int MaxPendingMessages = 4096;

    // Enough calls for the hot path's methods to pass tier 0's call counts; the budget bounds the wait on a slow or
    // busy machine, where the first calls through cold code take the longest.
    private const int WarmUpCalls = 300;
    private static readonly TimeSpan WarmUpBudget = TimeSpan.FromMilliseconds(200);

    private readonly List<UdpListener> datagramListeners = [];
    private readonly List<StreamTransport> streamListeners = [];
    private StatefulProxy? stateful;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await WarmUpRoutingAsync(cancellationToken);
        var routing = settings.Routing;
        loggerFactory.CreateLogger<SipFrontEnd>().RoutingConfigured(
            routing.Site ?? "none",
            routing.DefaultPair ?? "none",
            routing.Rules.Length,
            routing.TrustedNetworks.Length,
            routing.StaticRoutes.Length,
            routing.NextHopHeader ?? "none");
        var udpLogger = loggerFactory.CreateLogger<UdpListener>();
        var streamLogger = loggerFactory.CreateLogger<StreamTransport>();
        var streamOptions = settings.Streams.ToTransportOptions(settings.MaxMessageBytes, serverNames);
        var transports = new List<ISipTransport>();
        var capture = sipCapture.Capture;
        foreach (var listen in settings.Listen)
        {
            if (listen.Transport == SipTransportKind.Udp)
            {
                var listener = UdpListener.Bind(listen.EndPoint, udpLogger, metrics, capture, listen.Advertised, queueDelay);
                datagramListeners.Add(listener);
                transports.Add(listener);
            }
            else
            {
                var listener = StreamTransport.Bind(listen.Transport, listen.EndPoint, streamOptions, streamLogger, metrics, capture, listen.Advertised);
                streamListeners.Add(listener);
                transports.Add(listener);
            }
        }

        var identity = new ProxyIdentity(transports, settings.Aliases);
        var options = new ProxyCoreOptions
        {
            RecordRoute = settings.RecordRoute,
            Path = settings.Path,
            NextHopHeader = settings.Routing.NextHopHeader,
            Limits = SipParseLimits.Default with { MaxMessageBytes = settings.MaxMessageBytes },
            UdpMaxRequestBytes = settings.UdpMaxRequestBytes,
            Product = settings.Product,
        };
        if (settings.WarmUp)
        {
            await WarmUpHotPathAsync(options, cancellationToken);
        }

        var proxy = CreateProxy(identity, options, resolver, metrics, loggerFactory, overload);
        if (proxy is StatefulProxy statefulProxy)
        {
            drain.WaitForAnswers(() => statefulProxy.UnansweredTransactions);
            nodeMetrics.ObserveTransactions(statefulProxy.Table);
            stateful = statefulProxy;
        }

        foreach (var listener in datagramListeners)
        {
            listener.Start(proxy, MaxPendingMessages);
        }

        foreach (var listener in streamListeners)
        {
            if (stateful is not null)
            {
                listener.ConnectionLost += stateful.OnConnectionLost;
            }

            listener.Start(proxy, MaxPendingMessages);
        }
    }

    // The first grain call of a process pays for activation and JIT, which can exceed the per-transaction
    // time-out; paying it here, before the socket is open, keeps the first calls from being dropped.
    private async Task WarmUpRoutingAsync(CancellationToken cancellationToken)
    {
        foreach (var pair in catalog.Pairs)
        {
            var grain = grains.GetGrain<IHaPairGrain>(pair.Name);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await grain.GetRoute().WaitAsync(cancellationToken);
                    break;
                }
                catch (TimeoutException) when (attempt < 10)
                {
                }
            }
        }
    }

    // The sockets are bound but not yet read, so a request that comes meanwhile waits in the socket's buffer; /readyz
    // stays 503 until it is over. The proxy is built as the real one is, on a transport without a socket, a resolver that
    // asks no grain, and metrics and loggers nobody reads, so neither the network nor the operator sees the calls.
    private async Task WarmUpHotPathAsync(ProxyCoreOptions core, CancellationToken cancellationToken)
    {
        warmUpProgress.Start();
        var started = Stopwatch.GetTimestamp();
        var warmUp = new HotPathWarmUp();
        var logger = loggerFactory.CreateLogger<SipFrontEnd>();
        using var unread = new SipMetrics();
        var proxy = CreateProxy(new ProxyIdentity([warmUp.Transport], settings.Aliases), core, warmUp.Resolver, unread, NullLoggerFactory.Instance, overload: null);
        try
        {
            var result = await warmUp.RunAsync(proxy, WarmUpCalls, WarmUpBudget, cancellationToken);
            var elapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            logger.HotPathWarmedUp(result.Calls, elapsedMs);
            if (result.Completed < result.Calls)
            {
                logger.HotPathWarmUpIncomplete(result.Completed, result.Calls);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Only the first callers' latency depends on the warm-up; a node that cannot run it still serves.
            logger.HotPathWarmUpFailed(e);
        }
        finally
        {
            (proxy as StatefulProxy)?.Stop();
        }

        warmUpProgress.Finish();
    }

    // The warm-up's proxy gets no overload control: its synthetic calls must not spend the real callers' INVITE budget.
    private ISipMessageHandler CreateProxy(ProxyIdentity identity, ProxyCoreOptions core, ITargetResolver targets, SipMetrics counters, ILoggerFactory loggers, OverloadControl? overload)
    {
        var transactions = settings.Transactions;
        if (transactions.Mode == ProxyMode.Stateless)
        {
            // The transaction bound and timers size what a stateless proxy remembers: where each INVITE went (§16.11).
            var remembering = core with
            {
                RememberedInvites = transactions.MaxTransactions,
                RememberInvitesFor = transactions.Timers.TimerC + transactions.Timers.TransactionTimeout,
            };
            return new StatelessProxy(identity, targets, remembering, counters, loggers.CreateLogger<StatelessProxy>(), timeProvider, overload);
        }

        var options = new StatefulProxyOptions
        {
            Core = core,
            Timers = transactions.Timers,
            NoResponseTimeout = transactions.NoResponse,
            MaxTransactions = transactions.MaxTransactions,
            MaxLingerBytes = transactions.MaxLingerBytes,
        };
        return new StatefulProxy(identity, targets, options, counters, timeProvider, loggers, overload);
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public void OnRouteChanged(PairRoute route) => hold.OnRouteChanged(route);

    public void OnMemberLost(string pair, string member)
    {
        if (Volatile.Read(ref stateful) is not { } proxy)
        {
            return;
        }

        // A pair a reload has just removed may still report; its member is found among the snapshot it left.
        if (routing.FindMember(member) is not { } lost)
        {
            return;
        }

        // Off the grain's turn: the table walk is long, and the retries call the same grain.
        var hop = lost.EndPoint;
        ThreadPool.QueueUserWorkItem(static state => state.proxy.OnHopDown(state.hop), (proxy, hop), preferLocal: false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in datagramListeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        foreach (var listener in streamListeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        datagramListeners.Clear();
        streamListeners.Clear();
        stateful?.Stop();
    }
}
