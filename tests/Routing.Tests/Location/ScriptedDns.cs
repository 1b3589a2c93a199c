using System.Collections.Concurrent;
using OrleansProxy.Routing.Location;

namespace OrleansProxy.Routing.Tests.Location;

/// <summary>An <see cref="IDnsQuery"/> answering from responses the test sets, counting the questions asked.</summary>
internal sealed class ScriptedDns : IDnsQuery
{
    private readonly ConcurrentDictionary<(string Name, DnsQueryType Type), DnsResponse> _responses = new();
    private readonly ConcurrentDictionary<(string Name, DnsQueryType Type), int> _asked = new();

    /// <summary>A question nobody set an answer for gets "no records of that type".</summary>
    public void Answer(string name, DnsQueryType type, DnsResponse response) => _responses[(name, type)] = response;

    public int Asked(string name, DnsQueryType type) => _asked.GetValueOrDefault((name, type));

    public Task<DnsResponse> QueryAsync(string name, DnsQueryType type, CancellationToken cancellationToken)
    {
        _asked.AddOrUpdate((name, type), 1, (_, count) => count + 1);
        return Task.FromResult(_responses.GetValueOrDefault((name, type)) ?? DnsResponse.NoRecords);
    }
}
