using System.Text;
using CommunityToolkit.HighPerformance.Buffers;

namespace OrleansProxy.Sip.Uri;

/// <summary>
/// A tel: URI (RFC 3966) as far as routing needs it. It names a number, not a host, so a proxy has no next hop to
/// take from it: the number goes to the routing rules as the Request-URI's user part.
/// </summary>
public static class TelUri
{
    private const int MaxStackNumber = 128;

    public static bool IsTel(ReadOnlySpan<byte> uri) => uri.Length >= 4 && Ascii.EqualsIgnoreCase(uri[..4], "tel:"u8);

    /// <summary>The telephone-subscriber part of a tel: URI up to its first parameter; false for any other URI.</summary>
    public static bool TryGetNumber(ReadOnlySpan<byte> uri, out ReadOnlySpan<byte> number)
    {
        number = default;
        if (!IsTel(uri))
        {
            return false;
        }

        number = uri[4..];
        var parameters = number.IndexOf((byte)';');
        if (parameters >= 0)
        {
            number = number[..parameters];
        }

        return true;
    }

    /// <summary>
    /// The number as routing rules match it: without the visual separators (- . ( )) that RFC 3966 §5.1.1 gives no
    /// meaning, so <c>tel:+49-30-1234</c> meets a rule for <c>+4930</c>. Pooled: the same numbers come again and again.
    /// </summary>
    public static string RoutingNumber(ReadOnlySpan<byte> number)
    {
        Span<byte> digits = number.Length <= MaxStackNumber ? stackalloc byte[MaxStackNumber] : new byte[number.Length];
        var length = 0;
        foreach (var b in number)
        {
            if (b is not ((byte)'-' or (byte)'.' or (byte)'(' or (byte)')'))
            {
                digits[length++] = b;
            }
        }

        return StringPool.Shared.GetOrAdd(digits[..length], Encoding.UTF8);
    }
}
