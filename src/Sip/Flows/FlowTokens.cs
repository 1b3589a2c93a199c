using System.Buffers;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using OrleansProxy.Sip.Transport;

namespace OrleansProxy.Sip.Flows;

/// <summary>
/// Flow tokens (RFC 5626 §5.2): a flow written into the user part of a URI of this proxy, so that a request that comes
/// back with that URI in its Route names its flow with no table to look it up in. The token holds the listener, the
/// remote address and the connection in clear, sealed with an HMAC under a key drawn when the process starts: nobody
/// else can make one, and none survives a restart, whose connections are gone anyway. A random epoch, also sealed,
/// tells a token of a previous run of this instance (its flow failed) from a forged one.
/// </summary>
internal sealed class FlowTokens
{
    /// <summary>The longest token <see cref="Write"/> writes: an IPv6 flow over a stream.</summary>
    public const int MaxLength = 54;

    private const byte Version = 0x10;
    private const byte VersionMask = 0xF0;
    private const byte IPv6Flag = 0x01;
    private const byte StreamFlag = 0x02;
    private const int HeadLength = 4;
    private const int MacLength = 10;
    private const int MaxRawLength = HeadLength + 16 + 2 + 8 + MacLength;

    private readonly IReadOnlyList<ISipTransport> listeners;
    private readonly byte[] key = RandomNumberGenerator.GetBytes(32);
    private readonly ushort epoch = BinaryPrimitives.ReadUInt16BigEndian(RandomNumberGenerator.GetBytes(2));

    /// <param name="listeners">This proxy's listeners; a token names one by its place in this list.</param>
    public FlowTokens(IReadOnlyList<ISipTransport> listeners)
    {
        this.listeners = listeners;
    }

    /// <summary>Writes the token of <paramref name="flow"/> (base64url, fit for a URI user part).</summary>
    /// <returns>The bytes written; 0 when the flow's listener is not one of this proxy's.</returns>
    public int Write(in Flow flow, Span<byte> destination)
    {
        var listener = IndexOf(flow.Transport);
        if (listener is < 0 or > byte.MaxValue)
        {
            return 0;
        }

        Span<byte> raw = stackalloc byte[MaxRawLength];
        var isIPv6 = flow.Remote.AddressFamily == AddressFamily.InterNetworkV6;
        var isStream = flow.Transport.Hop.Transport.IsStream();
        raw[0] = (byte)(Version | (isIPv6 ? IPv6Flag : 0) | (isStream ? StreamFlag : 0));
        raw[1] = (byte)listener;
        BinaryPrimitives.WriteUInt16BigEndian(raw[2..], epoch);
        flow.Remote.Address.TryWriteBytes(raw[HeadLength..], out var addressLength);
        var length = HeadLength + addressLength;
        BinaryPrimitives.WriteUInt16BigEndian(raw[length..], (ushort)flow.Remote.Port);
        length += 2;
        if (isStream)
        {
            BinaryPrimitives.WriteInt64BigEndian(raw[length..], flow.ConnectionId);
            length += 8;
        }

        Seal(raw[..length], raw.Slice(length, MacLength));
        return Base64Url.EncodeToUtf8(raw[..(length + MacLength)], destination);
    }

    /// <summary>Opens a URI user part that may be a token of this proxy.</summary>
    public FlowTokenStatus Read(ReadOnlySpan<byte> user, out Flow flow)
    {
        flow = default;
        Span<byte> raw = stackalloc byte[MaxRawLength];
        if (user.Length > MaxLength || Base64Url.DecodeFromUtf8(user, raw, out _, out var length) != OperationStatus.Done || length < HeadLength
            || (raw[0] & VersionMask) != Version || length != RawLength(raw[0]))
        {
            return FlowTokenStatus.NotAToken;
        }

        Span<byte> mac = stackalloc byte[MacLength];
        var sealedLength = length - MacLength;
        Seal(raw[..sealedLength], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, raw[sealedLength..length]))
        {
            return BinaryPrimitives.ReadUInt16BigEndian(raw[2..]) == epoch ? FlowTokenStatus.Forged : FlowTokenStatus.OtherRun;
        }

        var addressLength = (raw[0] & IPv6Flag) != 0 ? 16 : 4;
        var address = new IPAddress(raw.Slice(HeadLength, addressLength));
        var port = BinaryPrimitives.ReadUInt16BigEndian(raw[(HeadLength + addressLength)..]);
        var connectionId = (raw[0] & StreamFlag) != 0 ? BinaryPrimitives.ReadInt64BigEndian(raw[(HeadLength + addressLength + 2)..]) : 0;
        flow = new Flow(listeners[raw[1]], new IPEndPoint(address, port), connectionId);
        return FlowTokenStatus.Valid;
    }

    private static int RawLength(byte format) =>
        HeadLength + ((format & IPv6Flag) != 0 ? 16 : 4) + 2 + ((format & StreamFlag) != 0 ? 8 : 0) + MacLength;

    private void Seal(ReadOnlySpan<byte> content, Span<byte> mac)
    {
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, content, hash);
        hash[..MacLength].CopyTo(mac);
    }

    private int IndexOf(ISipTransport transport)
    {
        for (var i = 0; i < listeners.Count; i++)
        {
            if (ReferenceEquals(listeners[i], transport))
            {
                return i;
            }
        }

        return -1;
    }
}
