using System.Buffers;
using System.Net;
using OrleansProxy.Sip.Forwarding;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Parsing;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Tests.Fuzzing;

/// <summary>
/// What must hold for any bytes the proxy receives: parsing ends in a message or a named fault without throwing;
/// what the proxy would send (a forwarded request, a forwarded response, its own answer) is itself well formed;
/// stream framing consumes exactly the frame or nothing.
/// </summary>
internal sealed class MessageInvariants
{
    private static readonly LocalHop Hop = new(SipTransportKind.Udp, new IPEndPoint(IPAddress.Loopback, 5060));
    private static readonly IPEndPoint Source = new(IPAddress.Parse("192.0.2.200"), 6000);

    private readonly SipMessage message = new();
    private readonly SipMessage output = new();

    /// <returns>Null when every invariant holds, else what broke.</returns>
    public string? Check(byte[] datagram)
    {
        try
        {
            return CheckParse(datagram) ?? CheckFraming(datagram);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "threw " + ex.GetType().Name + ": " + ex.Message;
        }
    }

    private string? CheckParse(byte[] datagram)
    {
        var parsed = SipParser.TryParse(datagram, message, SipParseLimits.Default);
        if (parsed != (message.Error == SipParseError.None) || !Enum.IsDefined(message.Error))
        {
            return $"TryParse returned {parsed} with error {message.Error}";
        }

        if (!parsed)
        {
            if (message.IsRequest && message.Error != SipParseError.Empty && message.Vias.Count > 0)
            {
                var status = SipParseErrors.StatusCode(message.Error);
                using var answer = ResponseFactory.Create(message, ProductName.Default, status, SipParseErrors.ReasonPhrase(message.Error));
                return IsFramedAnswer(answer.Memory, status) ? null : $"the {status} answer is not a framed response";
            }

            return null;
        }

        if (message.IsRequest && message.MaxForwards != 0)
        {
            using var forwarded = RequestForwarder.Write(message, new ForwardingPlan(Hop, Source, RecordRoute: Hop.RecordRouteLine, OwnRoutes: 0));
            return ReparsesAs(forwarded.Memory, "forwarded request");
        }

        if (!message.IsRequest && message.Vias.Count > 1)
        {
            using var forwarded = ResponseForwarder.Write(message, Hop.Transport);
            return ReparsesAs(forwarded.Memory, "forwarded response");
        }

        return null;
    }

    private string? ReparsesAs(ReadOnlyMemory<byte> bytes, string what)
    {
        if (SipParser.TryParse(bytes, output, SipParseLimits.Default) || IsGrowthPastALimit(output.Error))
        {
            return null;
        }

        return $"{what} does not parse: {output.Error}";
    }

    // An answer to a malformed request copies its faulty headers as they are, so only its own framing must hold.
    private bool IsFramedAnswer(ReadOnlyMemory<byte> bytes, int status)
    {
        SipParser.TryParse(bytes, output, SipParseLimits.Default);
        return !output.IsRequest && output.StatusCode == status && output.Error != SipParseError.HeadersUnterminated
            && output.ContentLength == 0 && output.FramedLength == bytes.Length;
    }

    // Our Via and received= add bytes, so a message just under a bound may cross it on the next hop, which then refuses it.
    private static bool IsGrowthPastALimit(SipParseError error) =>
        error is SipParseError.TooManyVias or SipParseError.MessageTooLarge or SipParseError.HeaderLineTooLong or SipParseError.TooManyHeaders;

    private static string? CheckFraming(byte[] datagram)
    {
        var buffer = new ReadOnlySequence<byte>(datagram);
        var status = SipFramer.TryFrame(buffer, SipParseLimits.Default, out var consumed, out var frame, out var error);
        var consumedLength = buffer.Slice(buffer.Start, consumed).Length;
        return status switch
        {
            SipFrameStatus.Incomplete or SipFrameStatus.Malformed when consumedLength != 0 => $"framing {status} consumed {consumedLength} bytes",
            SipFrameStatus.Malformed when error == SipParseError.None => "framing malformed without a fault",
            SipFrameStatus.Message when consumedLength != frame.Length || frame.Length == 0 => "framed message and consumed length disagree",
            SipFrameStatus.KeepAlive when consumedLength == 0 => "keep-alive consumed nothing",
            _ => null,
        };
    }
}
