using OrleansProxy.Silo.Configuration;
using OrleansProxy.Sip;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Proxy;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Silo.Sip;

/// <summary>
/// Binds the SIP listeners and runs the proxy core on them. Registered after the Orleans silo, so the
/// grains answer before the first request arrives.
/// </summary>
internal sealed class SipFrontEnd(
    SipFrontEndSettings settings,
    ITargetResolver resolver,
    SipMetrics metrics,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory) : IHostedService, IAsyncDisposable
{
    // Enough receives in flight that requests waiting on a grain call do not hold up the socket.
    private static readonly int ConcurrentReceives = Math.Max(4, Environment.ProcessorCount * 4);

    private readonly List<UdpListener> listeners = [];
    private StatefulProxy? stateful;

    public IReadOnlyList<LocalHop> Hops => listeners.ConvertAll(listener => listener.Hop);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var transportLogger = loggerFactory.CreateLogger<UdpListener>();
        foreach (var endPoint in settings.UdpListen)
        {
            listeners.Add(UdpListener.Bind(endPoint, transportLogger, metrics));
        }

        var identity = new ProxyIdentity(Hops, settings.Aliases);
        var options = new ProxyCoreOptions
        {
            RecordRoute = settings.RecordRoute,
            Limits = SipParseLimits.Default with { MaxMessageBytes = settings.MaxMessageBytes },
        };
        var proxy = CreateProxy(identity, options);
        foreach (var listener in listeners)
        {
            listener.Start(proxy, ConcurrentReceives);
        }

        return Task.CompletedTask;
    }

    private ISipMessageHandler CreateProxy(ProxyIdentity identity, ProxyCoreOptions core)
    {
        var transactions = settings.Transactions;
        if (transactions.Mode == ProxyMode.Stateless)
        {
            return new StatelessProxy(identity, resolver, core, metrics, loggerFactory.CreateLogger<StatelessProxy>());
        }

        var options = new StatefulProxyOptions
        {
            Core = core,
            Timers = transactions.Timers,
            NoResponseTimeout = transactions.NoResponse,
            MaxTransactions = transactions.MaxTransactions,
        };
        stateful = new StatefulProxy(identity, resolver, options, metrics, timeProvider, loggerFactory);
        return stateful;
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        foreach (var listener in listeners)
        {
            await listener.DisposeAsync().ConfigureAwait(false);
        }

        listeners.Clear();
        stateful?.Stop();
    }
}
