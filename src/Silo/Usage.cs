namespace OrleansProxy.Silo;

internal static class Usage
{
    public const string Text =
        """
        orleans-proxy: a high-availability SIP proxy in front of primary/backup SIP server pairs.

        Usage:
          orleans-proxy [run] [--config FILE] [--Key=Value ...]
          orleans-proxy demo [--calls N] [--rate CALLS_PER_SECOND]
          orleans-proxy --help

        Verbs:
          run      Run the proxy (the default when no verb is given).
          demo     Run a simulated HA pair, the proxy and a caller on loopback; crash the
                   primary halfway and report the switchover (exit 0 when every call after
                   it succeeded). Defaults: 100 calls at 20/s.

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
          Proxy:Admin:Url              admin HTTP API address (default http://127.0.0.1:8060)
          Proxy:Cluster:SiloPort       port of this node's localhost silo (default 11111)

        Exit codes: 0 stopped normally, 1 failed while starting or running,
        2 unknown verb or bad configuration (one "config error:" line per fault on stderr).

        """;
}
