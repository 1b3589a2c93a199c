using System.IO.Hashing;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// The To tag of a response the proxy answers itself: "op" and a hash of the request's Call-ID, From tag and CSeq
/// number, seeded per process. The same request always gets the same tag, so a retransmission gets an identical answer, and the ACK of a
/// non-2xx answer (which carries that tag, RFC 3261 §17.1.1.3) can be told as the ACK of our own answer without any
/// state: no server saw its INVITE, so it ends here.
/// </summary>
public static class LocalAnswerTag
{
    public const int Length = 2 + HexDigits.Length;

    // Drawn once per process, so two proxies in series tag differently and neither takes the other's ACK.
    private static readonly long Seed = Random.Shared.NextInt64();

    private static ReadOnlySpan<byte> Prefix => "op"u8;

    public static void Write(SipMessage request, Span<byte> destination)
    {
        Prefix.CopyTo(destination);
        HexDigits.Write(Hash(request), destination[Prefix.Length..]);
    }

    /// <summary>Whether <paramref name="request"/>'s To tag is the one the proxy gives its own answers to that request.</summary>
    public static bool IsOn(SipMessage request)
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

    private static ulong Hash(SipMessage request)
    {
        var hash = XxHash64.HashToUInt64(request[request.CallId], Seed);
        return XxHash64.HashToUInt64(request[request.FromTag], (long)hash) ^ (ulong)request.CSeqNumber;
    }
}
