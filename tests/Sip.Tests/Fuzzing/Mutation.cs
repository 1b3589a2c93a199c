namespace OrleansProxy.Sip.Tests.Fuzzing;

/// <summary>One random edit of a message's bytes; position and length are taken modulo what fits, so any values apply.</summary>
public readonly record struct Mutation(MutationKind Kind, int Position, int Length, byte Value)
{
    private const int MaxSpan = 16;

    public byte[] ApplyTo(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return [Value];
        }

        var at = (int)((uint)Position % (uint)bytes.Length);
        var length = Math.Min((int)((uint)Length % MaxSpan) + 1, bytes.Length - at);
        return Kind switch
        {
            MutationKind.Replace => [.. bytes[..at], Value, .. bytes[(at + 1)..]],
            MutationKind.Insert => [.. bytes[..at], Value, .. bytes[at..]],
            MutationKind.Delete => [.. bytes[..at], .. bytes[(at + length)..]],
            MutationKind.Duplicate => [.. bytes[..(at + length)], .. bytes[at..]],
            MutationKind.Truncate => bytes[..at],
            _ => [.. bytes[..at], .. Interesting[Value % Interesting.Length], .. bytes[at..]],
        };
    }

    /// <summary>Byte strings that sit on the grammar's edges: separators, folds, quotes, escapes, numbers that overflow.</summary>
    private static readonly byte[][] Interesting =
    [
        "\r\n"u8.ToArray(), "\r\n "u8.ToArray(), "\n"u8.ToArray(), "\r"u8.ToArray(), ":"u8.ToArray(), ","u8.ToArray(), ";"u8.ToArray(),
        "<"u8.ToArray(), ">"u8.ToArray(), "\""u8.ToArray(), "\\"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(), "%"u8.ToArray(),
        "@"u8.ToArray(), "?"u8.ToArray(), "SIP/2.0"u8.ToArray(), "Via: "u8.ToArray(), "Content-Length: "u8.ToArray(),
        "4294967296"u8.ToArray(), "-1"u8.ToArray(), "0"u8.ToArray(), "\0"u8.ToArray(), "\r\n\r\n"u8.ToArray(),
    ];
}
