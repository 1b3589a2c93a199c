using System.Text;

namespace OrleansProxy.Sip.Message;

/// <summary>
/// The name the proxy gives its software on the wire: the Server header of the responses it makes itself (RFC 3261
/// §20.35) and the User-Agent header of its OPTIONS probes (§20.41). Both lines are encoded once, here. Empty leaves
/// both headers out, so a scanner that asks learns nothing from them.
/// </summary>
public sealed class ProductName
{
    public const int MaxLength = 128;

    private ProductName(string value)
    {
        Value = value;
        ServerLine = value.Length == 0 ? default : Encoding.ASCII.GetBytes($"Server: {value}\r\n");
        UserAgentLine = value.Length == 0 ? default : Encoding.ASCII.GetBytes($"User-Agent: {value}\r\n");
    }

    /// <summary>What the proxy calls itself unless configured otherwise.</summary>
    public static ProductName Default { get; } = new("OrleansProxy");

    /// <summary>No Server and no User-Agent header.</summary>
    public static ProductName None { get; } = new(string.Empty);

    public string Value { get; }

    /// <summary>"Server: ...\r\n", or empty when the header is left out.</summary>
    public ReadOnlyMemory<byte> ServerLine { get; }

    /// <summary>"User-Agent: ...\r\n", or empty when the header is left out.</summary>
    public ReadOnlyMemory<byte> UserAgentLine { get; }

    /// <exception cref="ArgumentException"><paramref name="value"/> could not be written as a header value; the message says why.</exception>
    public static ProductName Create(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (FaultOf(value) is { } fault)
        {
            throw new ArgumentException(fault, nameof(value));
        }

        return value.Length == 0 ? None : new ProductName(value);
    }

    /// <summary>Why <paramref name="value"/> cannot be a header value, or null when it can (empty is allowed: no header).</summary>
    public static string? FaultOf(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxLength)
        {
            return $"must be at most {MaxLength} characters";
        }

        foreach (var c in value)
        {
            // CR or LF would end the header and start another: what a header injection needs.
            if (c is < ' ' or > '~')
            {
                return "must be printable ASCII: no CR, LF, tab or other control characters, no letters outside ASCII";
            }
        }

        return value.Length > 0 && (value[0] == ' ' || value[^1] == ' ') ? "must not start or end with a space" : null;
    }
}
