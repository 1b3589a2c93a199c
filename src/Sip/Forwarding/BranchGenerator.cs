using System.IO.Hashing;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Forwarding;

/// <summary>
/// Branches for forwarded requests: <c>z9hG4bK</c> + "op" + a transaction hash + "." + a loop hash.
/// A stateless proxy must give a retransmission the branch it gave the original (RFC 3261 §16.11), so the
/// transaction hash is computed from the incoming request's own transaction identity; the loop hash covers
/// the fields that stay the same when a request comes back to us unchanged (§16.3 step 4, §16.6 step 8).
/// The hashes are XXH3: its short-input paths suit these fields of 8 to 60 bytes, where XXH64 spent most of its time
/// setting up and finishing.
/// </summary>
public static class BranchGenerator
{
    public const int BranchLength = 7 + 2 + 16 + 1 + 16;

    private static ReadOnlySpan<byte> OwnPrefix => "z9hG4bKop"u8;

    public static bool IsOwnBranch(ReadOnlySpan<byte> branch) => branch.Length == BranchLength && branch.StartsWith(OwnPrefix);

    public static int Write(SipMessage request, Span<byte> destination) => Write(request, LoopHash(request), destination);

    /// <param name="loopHash">The loop hash of the INVITE a non-2xx ACK belongs to: the ACK carries the response's To tag,
    /// yet must carry its INVITE's branch (§17.1.1.3), so a stateless proxy that remembers the INVITE writes its hash.</param>
    public static int Write(SipMessage request, ulong loopHash, Span<byte> destination)
    {
        OwnPrefix.CopyTo(destination);
        var position = OwnPrefix.Length;
        HexDigits.Write(TransactionHash(request), destination[position..]);
        position += HexDigits.Length;
        destination[position++] = (byte)'.';
        HexDigits.Write(loopHash, destination[position..]);
        return position + HexDigits.Length;
    }

    /// <summary>True when <paramref name="branch"/> is ours and was made for a request identical in every routing field.</summary>
    public static bool IsLoop(SipMessage request, ReadOnlySpan<byte> branch)
    {
        if (!IsOwnBranch(branch))
        {
            return false;
        }

        Span<byte> expected = stackalloc byte[HexDigits.Length];
        HexDigits.Write(LoopHash(request), expected);
        return branch[^HexDigits.Length..].SequenceEqual(expected);
    }

    private static ulong TransactionHash(SipMessage request)
    {
        var branch = request[request.TopViaBranch];
        if (branch.StartsWith(Via.MagicCookie))
        {
            // A CANCEL or a non-2xx ACK carries the INVITE's branch, so they get the forwarded INVITE's branch too.
            return XxHash3.HashToUInt64(branch);
        }

        var topVia = request[request.ViaSpan[0].Value];

        // RFC 2543 peers: no usable branch, so identify the transaction by the fields §17.2.3 falls back to.
        var hash = XxHash3.HashToUInt64(topVia);
        hash = XxHash3.HashToUInt64(request[request.RequestUri], (long)hash);
        hash = XxHash3.HashToUInt64(request[request.CallId], (long)hash);
        hash = XxHash3.HashToUInt64(request[request.FromTag], (long)hash);
        hash = XxHash3.HashToUInt64(request[request.ToTag], (long)hash);
        return hash ^ (ulong)request.CSeqNumber;
    }

    /// <summary>
    /// Everything that decides where the request goes and whether it is admitted (RFC 3261 §16.6 step 8, RFC 5393
    /// §4.2): Request-URI, Route values, Proxy-Require, Proxy-Authorization, and the From tag, Call-ID and CSeq number
    /// that tell the request apart. A request that comes back with any of them changed is a spiral, not a loop.
    /// All are read as the request arrived, before this proxy pops its own Route, so the request we forwarded and
    /// the one that comes back are hashed alike. Left out, as a loop never changes them but a hop or a CANCEL may:
    /// Vias and Max-Forwards (every hop changes them), the To tag (the ACK of a non-2xx carries one its INVITE had
    /// not), and an INVITE's credentials (its CANCEL and ACK need not repeat them, §9.1, §17.1.1.3), because a CANCEL
    /// and a non-2xx ACK must leave with their INVITE's branch (§16.11).
    /// </summary>
    public static ulong LoopHash(SipMessage request)
    {
        var hash = XxHash3.HashToUInt64(request[request.RequestUri]);
        hash = XxHash3.HashToUInt64(request[request.CallId], (long)hash);
        hash = XxHash3.HashToUInt64(request[request.FromTag], (long)hash);
        foreach (var route in request.RouteSpan)
        {
            hash = XxHash3.HashToUInt64(request[route.Value], (long)hash);
        }

        var hashesCredentials = request.Method is not (SipMethod.Invite or SipMethod.Cancel or SipMethod.Ack);
        foreach (var header in request.HeaderSpan)
        {
            var kind = header.Kind;
            if (kind == HeaderKind.ProxyRequire || (kind == HeaderKind.ProxyAuthorization && hashesCredentials))
            {
                // The kind goes in too, so a value moved from one header to the other changes the hash.
                hash = XxHash3.HashToUInt64(request[header.Value], (long)hash + (long)kind);
            }
        }

        return hash ^ (ulong)request.CSeqNumber;
    }
}
