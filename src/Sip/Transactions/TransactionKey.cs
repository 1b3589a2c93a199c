using System.IO.Hashing;
using System.Security.Cryptography;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Sip.Transactions;

/// <summary>
/// Identifies a transaction without keeping a string per message: a 128-bit hash of the RFC 3261 §17.2.3
/// matching fields (branch, sent-by, method; ACK matching its INVITE), or of the RFC 2543 fields when the
/// branch lacks the magic cookie. Client transactions are keyed by our own branch and the CSeq method (§17.1.3).
/// </summary>
public readonly record struct TransactionKey(UInt128 Hash)
{
    // Drawn per process: a sender who cannot predict the hashes cannot aim many transactions at one table bucket.
    private static readonly long Seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));

    /// <summary>The key of the server transaction <paramref name="request"/> belongs to; ACK maps to its INVITE.</summary>
    public static bool TryForServer(SipMessage request, out TransactionKey key) =>
        TryForServer(request, request.Method == SipMethod.Ack ? "INVITE"u8 : request[request.MethodToken], out key);

    /// <summary>The key of the INVITE server transaction that a CANCEL targets (§9.2).</summary>
    public static bool TryForCancelledInvite(SipMessage cancel, out TransactionKey key) => TryForServer(cancel, "INVITE"u8, out key);

    public static TransactionKey ForClient(ReadOnlySpan<byte> branch, ReadOnlySpan<byte> method)
    {
        var hash = XxHash128.HashToUInt128(branch, Seed);
        return new TransactionKey(XxHash128.HashToUInt128(method, (long)(ulong)hash) ^ hash);
    }

    /// <summary>The key of the client transaction a response belongs to: its top Via branch and CSeq method.</summary>
    public static bool TryForResponse(SipMessage response, out TransactionKey key)
    {
        key = default;
        if (response.Vias.Count == 0)
        {
            return false;
        }

        if (!response.TopViaBranch.IsPresent)
        {
            return false;
        }

        key = ForClient(response[response.TopViaBranch], CSeqMethod(response));
        return true;
    }

    /// <summary>The method token of the CSeq header: what a response names its transaction's method by.</summary>
    private static ReadOnlySpan<byte> CSeqMethod(SipMessage message)
    {
        // By index: foreach over the IReadOnlyList would allocate an enumerator for every response.
        var headers = message.Headers;
        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            if (header.Kind == HeaderKind.CSeq)
            {
                var value = message[header.Value];
                var space = value.IndexOfAny((byte)' ', (byte)'\t');
                return space < 0 ? default : value[space..].Trim(" \t"u8);
            }
        }

        return default;
    }

    private static bool TryForServer(SipMessage request, ReadOnlySpan<byte> method, out TransactionKey key)
    {
        key = default;
        if (request.Vias.Count == 0)
        {
            return false;
        }

        if (!request.TryGetTopVia(out var top, out var via))
        {
            return false;
        }

        UInt128 hash;
        var branch = request[request.TopViaBranch];
        if (branch.StartsWith(Via.MagicCookie))
        {
            hash = XxHash128.HashToUInt128(branch, Seed);
            hash ^= XxHash128.HashToUInt128(top[via.Host], (long)(ulong)hash) + (uint)via.Port;
        }
        else
        {
            // RFC 2543: Request-URI, From tag, Call-ID, CSeq number and the whole top Via. The To tag is left out
            // so that the ACK, which carries our response's tag, still matches its INVITE.
            hash = XxHash128.HashToUInt128(request[request.RequestUri], Seed);
            hash ^= XxHash128.HashToUInt128(request[request.FromTag], (long)(ulong)hash);
            hash ^= XxHash128.HashToUInt128(request[request.CallId], (long)(ulong)hash);
            hash ^= XxHash128.HashToUInt128(top, (long)(ulong)hash) + (uint)request.CSeqNumber;
        }

        key = new TransactionKey(XxHash128.HashToUInt128(method, (long)(ulong)hash) ^ hash);
        return true;
    }
}
