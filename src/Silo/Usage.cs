
namespace OrleansProxy.Silo;

internal static class Usage
{
    public const string Text =
        """
        orleans-proxy: a high-availability SIP proxy in front of primary/backup SIP server pairs.

        Usage:
          orleans-proxy [run] [--config FILE] [--Key=Value ...]
          orleans-proxy demo [--calls N] [--rate CALLS_PER_SECOND] [--hold SECONDS] [--death freeze|close]
          orleans-proxy simulated-pair --primary HOST:PORT --backup HOST:PORT [--standby silent|503]
                [--death freeze|close] [--die-after SECONDS] [--takeover SECONDS]
                [--announce none|options|request] [--proxy HOST:PORT] [--revive-after SECONDS]
                [--run-for SECONDS] [--report FILE]
          orleans-proxy status [--admin URL]
          orleans-proxy switchover PAIR [--admin URL]
          orleans-proxy routes [RURI SOURCE [LISTENER]] [--admin URL]
          orleans-proxy reload [--admin URL]
          orleans-proxy check-config FILE
          orleans-proxy --help

        Verbs:
          run      Run the proxy (the default when no verb is given).
          demo     Run a realistic simulated HA pair (the standby answers 503 until it takes
                   over, 1.5 s after the primary died), the proxy and a caller on loopback;
                   the primary dies halfway through calls held across it. Reports the gap, the
                   switch and how the proxy bridged it; exit 0 only when no call failed.
                   Defaults: 100 calls at 20/s, held 2 s, death close.
          simulated-pair
                   Run only the simulated pair, for benchmarks: the active member dies
                   --die-after seconds after the first INVITE (6), the standby (503; or silent)
                   takes over --takeover seconds later (2); death freeze (or close: port
                   closed). Runs --run-for seconds (30) or until SIGINT/SIGTERM, then writes a
                   JSON report (diedAt, takeoverAt, firstInviteAfterTakeoverMs,
                   requestsToStandby, ...) to --report FILE or stdout.
          status   Show a running node's pairs: members, health, active member, last switchover.
          switchover
                   Make a running node's pair switch to its standby member.
          routes   Show a running node's routing rules, networks and static routes; with a
                   Request-URI and a source address (IP[:port]), how it would route that INVITE now.
          reload   Make a running node read its configuration again (as SIGHUP does): pairs,
                   probing, routing rules, static routes, networks, site and default pair change
                   live; listeners, admin URL, silo port, mode and TLS need a restart and are
                   named. Exit 1, one line per fault, when the new configuration is refused.
          check-config
                   Validate FILE as "run --config FILE" would load it; one line per fault,
                   exit 1 on any fault. Starts nothing.

        status, switchover, routes and reload talk to the admin endpoint given by --admin URL,
        else the Proxy:Admin:Url of the configuration (appsettings.json, --config FILE, environment).

        Options of run:
          --log-format text|json       console log format (same as Proxy:Admin:LogFormat)

        Configuration sources, each overriding the ones before it:
          appsettings.json next to the executable, the --config FILE (JSON),
          environment variables (Proxy__Pairs__0__Primary=10.0.0.1:5060),
          command-line overrides (--Proxy:Pairs:0:Primary=10.0.0.1:5060).

        Main keys (N = 0, 1, 2, ...):
          Proxy:Listen:N               udp://, tcp:// or tls://address:port to listen on; IPv6 as [::1];
                                       ;advertise=host[:port] names it in Via and Record-Route (required
                                       on 0.0.0.0 and [::])
          Proxy:Aliases:N              host names the pool is addressed by
          Proxy:RecordRoute            add Record-Route to forwarded requests (default true)
          Proxy:Path                   add Path with a flow token to REGISTER requests, so a server reaches
                                       the phone over the connection or NAT binding it registered on (default true)
          Proxy:Pairs:N:Name           pair name (letters, digits, '.', '-', '_')
          Proxy:Pairs:N:Primary        primary server [udp|tcp|tls://]host:port (udp; port 5060, 5061 for tls)
          Proxy:Pairs:N:Backup         backup server, same transport and address family as the primary
          Proxy:Pairs:N:Site           the pair's site
          Proxy:Pairs:N:Egress         the Proxy:Listen entry requests to the pair leave from (default: the
                                       one on the address the route table sends from)
          Proxy:Site                   this instance's site: user agents reach only its pairs unless a rule says so
          Proxy:DefaultPair            pair for user agents no rule matches (default: the site's first pair,
                                       else the first pair)
          Proxy:Routing:Rules:N:Pair   the pair a rule sends user agents to; each rule has exactly one of
            :Listener                  a Proxy:Listen entry the request arrived on
            :Domain                    the Request-URI host (exact, any case)
            :UserPrefix                the Request-URI user starts with it (longest wins)
            :SourceNetwork             a CIDR the source is in (most specific wins)
                                       kinds apply in this order, whatever order the rules are written in
          Proxy:Routing:UserAgentNetworks:N  CIDRs user agents may send from (default: any); others get 403
          Proxy:Routing:TrustedNetworks:N    CIDRs routed like pair members (by Route / Request-URI)
          Proxy:Routing:StaticRoutes:N:Domain, :Target
                                       a server's request for Domain goes to Target ([udp|tcp|tls://]host[:port])
                                       instead of DNS
          Proxy:Routing:NextHopHeader  header a server names its next hop in, e.g. X-Route-To (stripped)
          Proxy:Routing:Dns:Servers:N  DNS servers ip[:port] for RFC 3263 lookups (default: the system's)
          Proxy:Routing:Dns:TimeoutMs, :GreylistSeconds
                                       one query's time-out (2000); how long a failed target is skipped (30)
          Proxy:Connections:IdleTimeoutMs   close a TCP/TLS connection idle this long (default 120000)
          Proxy:Connections:ConnectTimeoutMs  outbound connect and TLS handshake limit (default 2000)
          Proxy:Connections:MaxConnections, :MaxPerPeer
                                       open connections in all (4096) and per remote address (64)
          Proxy:Tls:Certificate, :PrivateKey  PEM files served on tls:// listeners and shown to servers
          Proxy:Tls:RequireClientCertificate, :ClientAuthorities
                                       user agents must show a certificate of this PEM CA bundle
          Proxy:Tls:ServerAuthorities  PEM CA bundle servers' certificates must chain to (default: system store)
          Proxy:Tls:SkipServerCertificateValidation  accept any server certificate (labs only)
          Proxy:MaxMessageBytes        largest SIP message accepted (default 65535)
          Proxy:Udp:MaxRequestBytes    a larger request to a UDP hop goes over TCP (default 1300; 0 = never)
          Proxy:ServerHeader           Server / User-Agent value of the proxy's own messages ("" = none;
                                       default OrleansProxy)
          Proxy:Probe:IntervalMs       OPTIONS probe interval (default 500)
          Proxy:Probe:TimeoutMs        probe timeout, less than the interval (default 400)
          Proxy:Probe:FailuresToDown   missed probes before a member is down (default 2)
          Proxy:Probe:FastIntervalMs   probe interval while no member serves or a hint's burst runs (default 25)
          Proxy:Probe:ServingCodes:N   probe answers that mean serving, 2xx or a code (default 2xx)
          Proxy:Mode                   stateful (default) or stateless
          Proxy:Failover:NoResponseMs  no response in this time: probe the member harder (default 500)
          Proxy:Failover:HoldMs        requests wait this long for a serving member (default 5000)
          Proxy:Failover:HoldMaxRequests  at most this many wait at once (default 1000)
          Proxy:Transactions:MaxCount  transaction table ceiling; past it 503 (default 100000)
          Proxy:Transactions:MaxLingerBytes  bytes finished transactions keep while they linger (default 134217728)
          Proxy:Transactions:T1Ms      RFC 3261 T1 (default 500); also T2Ms, T4Ms, TimerCMs
          Proxy:Overload:InvitesPerSecond  new INVITEs a second past which 503 + Retry-After (default 0 = off)
          Proxy:Overload:MaxQueueDelayMs  datagrams standing longer than this in the UDP receive queue
                                       for 100 ms: new INVITEs get 503 + Retry-After (default 50, 0 = off)
          Proxy:Overload:RetryAfterSeconds  Retry-After of those 503s (default 1)
          Proxy:Overload:PerSourceMessagesPerSecond  messages a second one source may send before it is
                                       dropped for SourceBlockSeconds (default 0 = off; 10 s)
          Proxy:Overload:TrackedSources, :ExemptNetworks:N
                                       sources followed (65536); CIDRs never limited per source
          Proxy:Admin:Url              admin HTTP API address (default http://127.0.0.1:8060)
          Proxy:Admin:LogFormat        text (default) or json: compact JSON console logs
          Proxy:Shutdown:DrainMs       on SIGTERM, how long transactions in flight may finish (default 5000)
          Proxy:Startup:WarmUp         synthetic calls through the proxy core before /readyz (default false)
          Proxy:Cluster:SiloPort       port of this node's localhost silo (default 11111)

        Exit codes: 0 stopped normally, 1 failed while starting or running (or: status and
        switchover could not reach the node or were refused; check-config found faults),
        2 unknown verb or bad configuration (one "config error:" line per fault on stderr).

        """;
}
