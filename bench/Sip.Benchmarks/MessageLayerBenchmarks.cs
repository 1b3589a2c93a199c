using System.Net;
using BenchmarkDotNet.Attributes;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Benchmarks;

/// <summary>
/// The message layer alone: parse (with the checks the parser makes: mandatory headers, Via, CSeq, From/To) and
/// the forward rewrite into a pooled buffer. The only allocation allowed is none: the buffer comes from the pool.
/// </summary>
[MemoryDiagnoser]
public class MessageLayerBenchmarks
{
    private static readonly LocalHop Hop = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060));
    private static readonly IPEndPoint Phone = new(IPAddress.Parse("192.0.2.33"), 5062);

    private readonly SipMessage message = new();

    [GlobalSetup]
    public void CheckMessages() => BenchmarkMessages.CheckWellFormed();

    [Benchmark]
    public int Invite() => ParseAndForwardRequest(BenchmarkMessages.Invite);

    [Benchmark]
    public int OkWithSdp()
    {
        SipParser.TryParse(BenchmarkMessages.OkWithSdp, message, SipParseLimits.Default);
        using var forwarded = ResponseForwarder.Write(message, Hop.Transport);
        return forwarded.Length;
    }

    [Benchmark]
    public int Register() => ParseAndForwardRequest(BenchmarkMessages.Register);

    /// <summary>A request the proxy refuses (Max-Forwards not a number): parse, then its 400 naming the fault.</summary>
    [Benchmark]
    public int BadRequestAnswer()
    {
        SipParser.TryParse(BenchmarkMessages.BadRegister, message, SipParseLimits.Default);
        using var answer = ResponseFactory.Create(message, ProductName.Default, SipParseErrors.StatusCode(message.Error), SipParseErrors.ReasonPhrase(message.Error));
        return answer.Length;
    }

    private int ParseAndForwardRequest(byte[] request)
    {
        SipParser.TryParse(request, message, SipParseLimits.Default);
        using var forwarded = RequestForwarder.Write(message, new ForwardingPlan(Hop, Phone, RecordRoute: message.Method == SipMethod.Invite ? Hop.RecordRouteLine : default, OwnRoutes: 0));
        return forwarded.Length;
    }
}
