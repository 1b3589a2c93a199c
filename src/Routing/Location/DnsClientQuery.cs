using DnsClient;
using DnsClient.Protocol;

namespace OrleansProxy.Routing.Location;

/// <summary>
/// <see cref="IDnsQuery"/> over DnsClient's <see cref="LookupClient"/>: the only file that knows the library. It sends
/// the question to the configured resolvers (else the host's own) and turns the reply into plain records.
/// </summary>
internal sealed class DnsClientQuery : IDnsQuery
{
    private readonly LookupClient _client;

    public DnsClientQuery(DnsLocatorSettings settings)
    {
        var options = settings.Servers.Count == 0 ? new LookupClientOptions() : new LookupClientOptions([.. settings.Servers]);
        // CachingDnsResolver caches, on the injected clock and for failures too.
        options.UseCache = false;
        options.Timeout = settings.Timeout;
        // A time-out is not retried on the same server: the failure is cached briefly instead, so a dead resolver
        // costs one time-out per question and negative TTL, not three.
        options.Retries = 0;
        options.ThrowDnsErrors = false;
        // NODATA from one resolver is an answer; asking the next one only adds a round trip.
        options.ContinueOnEmptyResponse = false;
        _client = new LookupClient(options);
    }

    public async Task<DnsResponse> QueryAsync(string name, DnsQueryType type, CancellationToken cancellationToken)
    {
        var queryType = type switch
        {
            DnsQueryType.A => QueryType.A,
            DnsQueryType.AAAA => QueryType.AAAA,
            DnsQueryType.SRV => QueryType.SRV,
            _ => QueryType.NAPTR,
        };
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(name, queryType, QueryClass.IN, cancellationToken).ConfigureAwait(false);
        }
        catch (DnsResponseException exception) when (exception.Code == DnsResponseCode.ConnectionTimeout)
        {
            return DnsResponse.TimedOut;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any fault of the lookup must become "not located": an exception here would reach the SIP receive path.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            return DnsResponse.Failed(exception.Message);
        }

        if (response.HasError && response.Header.ResponseCode != DnsHeaderResponseCode.NotExistentDomain)
        {
            return DnsResponse.Failed(response.ErrorMessage);
        }

        var answers = new List<DnsRecord>();
        foreach (var record in response.Answers)
        {
            if (record.RecordType == (ResourceRecordType)queryType && ToRecord(record) is { } plain)
            {
                answers.Add(plain);
            }
        }

        if (answers.Count == 0)
        {
            return DnsResponse.NoRecords;
        }

        var additionals = new List<DnsRecord.Address>();
        foreach (var record in response.Additionals)
        {
            if (ToRecord(record) is DnsRecord.Address address)
            {
                additionals.Add(address);
            }
        }

        return new DnsResponse(DnsAnswerKind.Records, answers, additionals);
    }

    private static DnsRecord? ToRecord(DnsResourceRecord record) => record switch
    {
        ARecord a => new DnsRecord.Address(a.DomainName.Value, a.TimeToLive, a.Address),
        AaaaRecord aaaa => new DnsRecord.Address(aaaa.DomainName.Value, aaaa.TimeToLive, aaaa.Address),
        SrvRecord srv => new DnsRecord.Service(srv.DomainName.Value, srv.TimeToLive, srv.Priority, srv.Weight, srv.Port, srv.Target.Value),
        NAPtrRecord naptr => new DnsRecord.NamingAuthorityPointer(
            naptr.DomainName.Value, naptr.TimeToLive, naptr.Order, naptr.Preference, naptr.Flags, naptr.Services, naptr.Replacement.Value),
        _ => null,
    };
}
