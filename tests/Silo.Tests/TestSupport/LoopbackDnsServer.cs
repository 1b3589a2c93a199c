using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using ARSoft.Tools.Net;
using ARSoft.Tools.Net.Dns;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>
/// An authoritative DNS server on 127.0.0.1 (UDP, a free port) that answers from the records a test adds, and
/// counts the queries it receives per name and type so that caching can be asserted. A name without records gets
/// NXDOMAIN; a known name without records of the asked type gets an empty answer (NODATA).
/// </summary>
/// <remarks>
/// Names are written fully qualified or not ("sip.example.test" and "sip.example.test." are the same name).
/// <see cref="HoldAnswers"/> keeps every query unanswered until <see cref="ReleaseAnswers"/>, for tests of
/// concurrent askers and of a resolver that never answers.
/// </remarks>
internal sealed class LoopbackDnsServer : IDisposable
{
    private const int BindAttempts = 3;
    private const int TransportTimeoutMs = 5_000;

    private readonly DnsServer _server;
    private readonly Lock _zoneLock = new();
    private readonly List<DnsRecordBase> _zone = [];
    private readonly ConcurrentDictionary<(DomainName Name, RecordType Type), int> _queries = new();
    private volatile TaskCompletionSource _answersReleased = Released();

    private LoopbackDnsServer(DnsServer server, IPEndPoint endPoint)
    {
        _server = server;
        EndPoint = endPoint;
        _server.QueryReceived += OnQueryReceivedAsync;
    }

    public IPEndPoint EndPoint { get; }

    /// <summary>When set, SRV answers carry their targets' A/AAAA records in the additional section.</summary>
    public bool IncludeTargetAddresses { get; set; }

    public static LoopbackDnsServer Start()
    {
        for (var attempt = 1; ; attempt++)
        {
            var endPoint = FreePort.Udp();
            var server = new DnsServer(new UdpServerTransport(endPoint, TransportTimeoutMs));
            var loopback = new LoopbackDnsServer(server, endPoint);
            try
            {
                server.Start();
                return loopback;
            }
            catch (SocketException) when (attempt < BindAttempts)
            {
                // Another process took the port between FreePort and Start; try another one.
                loopback.Dispose();
            }
        }
    }

    public void AddSrv(string name, int ttl, ushort priority, ushort weight, ushort port, string target) =>
        Add(new SrvRecord(Name(name), ttl, priority, weight, port, Name(target)));

    /// <param name="services">E.g. "SIP+D2T"; the regular expression is left empty, as RFC 3263 uses replacements.</param>
    public void AddNaptr(string name, int ttl, ushort order, ushort preference, string flags, string services, string replacement) =>
        Add(new NaptrRecord(Name(name), ttl, order, preference, flags, services, string.Empty, Name(replacement)));

    public void AddA(string name, int ttl, string address) => Add(new ARecord(Name(name), ttl, IPAddress.Parse(address)));

    public void AddAaaa(string name, int ttl, string address) => Add(new AaaaRecord(Name(name), ttl, IPAddress.Parse(address)));

    /// <summary>Removes every record of <paramref name="name"/>, so that it answers NXDOMAIN from now on.</summary>
    public void RemoveAll(string name)
    {
        var owner = Name(name);
        lock (_zoneLock)
        {
            _zone.RemoveAll(record => record.Name.Equals(owner));
        }
    }

    public int QueryCount(string name, RecordType type) => _queries.GetValueOrDefault((Name(name), type));

    /// <summary>Queries from now on wait, unanswered, until <see cref="ReleaseAnswers"/>.</summary>
    public void HoldAnswers() => _answersReleased = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void ReleaseAnswers() => _answersReleased.TrySetResult();

    public void Dispose()
    {
        ReleaseAnswers();
        try
        {
            _server.Stop();
        }
        catch (AggregateException stopped) when (stopped.InnerExceptions.All(inner => inner is OperationCanceledException))
        {
            // Stop cancels the accept loop and then waits on it; a loop still waiting for its first datagram
            // reports that cancellation as a fault.
        }
    }

    private static DomainName Name(string text) => DomainName.Parse(text.TrimEnd('.'));

    private static TaskCompletionSource Released()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    private void Add(DnsRecordBase record)
    {
        lock (_zoneLock)
        {
            _zone.Add(record);
        }
    }

    private async Task OnQueryReceivedAsync(object sender, QueryReceivedEventArgs e)
    {
        if (e.Query is not DnsMessage { Questions: [var question] } query)
        {
            return;
        }

        _queries.AddOrUpdate((question.Name, question.RecordType), 1, (_, count) => count + 1);
        await _answersReleased.Task.ConfigureAwait(false);

        var response = query.CreateResponseInstance();
        lock (_zoneLock)
        {
            var owned = _zone.Where(record => record.Name.Equals(question.Name)).ToList();
            response.ReturnCode = owned.Count == 0 ? ReturnCode.NxDomain : ReturnCode.NoError;
            response.AnswerRecords.AddRange(owned.Where(record => record.RecordType == question.RecordType));
            if (IncludeTargetAddresses)
            {
                foreach (var service in response.AnswerRecords.OfType<SrvRecord>())
                {
                    response.AdditionalRecords.AddRange(_zone.Where(record =>
                        record.Name.Equals(service.Target) && record.RecordType is RecordType.A or RecordType.Aaaa));
                }
            }
        }

        e.Response = response;
    }
}
