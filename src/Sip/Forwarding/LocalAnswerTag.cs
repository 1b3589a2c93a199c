using System.IO.Hashing;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// The To tag a responder gives the responses it answers itself: "op" and a hash of the request's Call-ID, From tag and
/// CSeq number, seeded per responder. The same request always gets the same tag, so a retransmission gets an identical
/// answer; and the ACK of a non-2xx answer, which carries that tag (RFC 3261 §17.1.1.3), can be told as the ACK of this
/// responder's own answer without any state. The seed keeps two responders apart even in one process: a proxy, and the
/// server behind it that answers with <see cref="Default"/>, or a second proxy in series.
/// </summary>
public sealed class LocalAnswerTag
{
    public const int Length = 2 + HexDigits.Length;

    private readonly long seed = Random.Shared.NextInt64();

    /// <summary>The tag of responders that never need to tell their own answers' ACKs apart (user agents).</summary>
    public static LocalAnswerTag Default { get; } = new();

    private static ReadOnlySpan<byte> Prefix => "op"u8;

    public void Write(SipMessage request, Span<byte> destination)
    {
        Prefix.CopyTo(destination);
        HexDigits.Write(Hash(request), destination[Prefix.Length..]);
    }

    /// <summary>Whether <paramref name="request"/>'s To tag is the one this responder gives its own answers to that request.</summary>
    public bool IsOn(SipMessage request)
    {
        var tag = request[request.ToTag];
        if (tag.Length != Length || !tag.StartsWith(Prefix))
        {
            return false;
        }

        Span<byte> ours = stackalloc byte[Length];
        Write(request, ours);
        return tag.SequenceEqual(ours);
    }

    private ulong Hash(SipMessage request)
    {
        var hash = XxHash64.HashToUInt64(request[request.CallId], seed);
        return XxHash64.HashToUInt64(request[request.FromTag], (long)hash) ^ (ulong)request.CSeqNumber;
    }
}
