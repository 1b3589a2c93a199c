namespace OrleansProxy.Silo;

internal static class Usage
{
    public const string Text =
        """
        orleans-proxy: a high-availability SIP proxy in front of primary/backup SIP server pairs.

        Usage:
          orleans-proxy [run] [--config FILE] [--Key=Value ...]
          orleans-proxy demo [--calls N] [--rate CALLS_PER_SECOND]
          orleans-proxy status [--admin URL]
          orleans-proxy switchover PAIR [--admin URL]
          orleans-proxy check-config FILE
          orleans-proxy --help

        Verbs:
          run      Run the proxy (the default when no verb is given).
          demo     Run a simulated HA pair, the proxy and a caller on loopback; crash the
                   primary halfway and report the switchover (exit 0 when every call after
                   it succeeded). Defaults: 100 calls at 20/s.
          status   Show a running node's pairs: members, health, active member, last switchover.
          switchover
                   Make a running node's pair switch to its standby member.
          check-config
                   Validate FILE as "run --config FILE" would load it; one line per fault,
                   exit 1 on any fault. Starts nothing.

        status and switchover talk to the admin endpoint given by --admin URL, else the
        Proxy:Admin:Url of the configuration (appsettings.json, --config FILE, environment).

        Options of run:
          --log-format text|json       console log format (same as Proxy:Admin:LogFormat)

        Configuration sources, each overriding the ones before it:
          appsettings.json next to the executable, the --config FILE (JSON),
          environment variables (Proxy__Pairs__0__Primary=10.0.0.1:5060),
          command-line overrides (--Proxy:Pairs:0:Primary=10.0.0.1:5060).

        Main keys (N = 0, 1, 2, ...):
          Proxy:Listen:N               udp://address:port to listen on (tcp:// and tls:// not supported yet)
          Proxy:Aliases:N              host names the pool is addressed by
          Proxy:RecordRoute            add Record-Route to forwarded requests (default true)
          Proxy:Pairs:N:Name           pair name (letters, digits, '.', '-', '_')
          Proxy:Pairs:N:Primary        primary server host:port (port defaults to 5060)
          Proxy:Pairs:N:Backup         backup server host:port
          Proxy:DefaultPair            pair that serves user agents (default: the first pair)
          Proxy:MaxMessageBytes        largest SIP message accepted (default 65535)
          Proxy:Probe:IntervalMs       OPTIONS probe interval (default 500)
          Proxy:Probe:TimeoutMs        probe timeout, less than the interval (default 400)
          Proxy:Probe:FailuresToDown   missed probes before a member is down (default 2)
          Proxy:Probe:FastIntervalMs   probe interval while the active member is down (default 100)
          Proxy:Mode                   stateful (default) or stateless
          Proxy:Failover:NoResponseMs  no response in this time: retry on the other member (default 500)
          Proxy:Transactions:MaxCount  transaction table ceiling; past it 503 (default 100000)
          Proxy:Transactions:T1Ms      RFC 3261 T1 (default 500); also T2Ms, T4Ms, TimerCMs
          Proxy:Admin:Url              admin HTTP API address (default http://127.0.0.1:8060)
          Proxy:Admin:LogFormat        text (default) or json: compact JSON console logs
          Proxy:Shutdown:DrainMs       on SIGTERM, how long transactions in flight may finish (default 5000)
          Proxy:Cluster:SiloPort       port of this node's localhost silo (default 11111)

        Exit codes: 0 stopped normally, 1 failed while starting or running (or: status and
        switchover could not reach the node or were refused; check-config found faults),
        2 unknown verb or bad configuration (one "config error:" line per fault on stderr).

        """;
}
