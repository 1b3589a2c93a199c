namespace OrleansProxy.Sip.Capture;

/// <summary>
/// Finds the Call-ID value (long form or compact "i") in a message's raw header without parsing the rest, so the
/// capture sender can correlate a message it never handed to the parser.
/// </summary>
internal static class CallIdLocator
{
    /// <returns>The value, trimmed; empty when the header has no Call-ID.</returns>
    public static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> message)
    {
        // The start line is not a header.
        var next = message.IndexOf((byte)'\n');
        while (next >= 0)
        {
            message = message[(next + 1)..];
            next = message.IndexOf((byte)'\n');
            var line = next < 0 ? message : message[..next];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.IsEmpty)
            {
                return default;
            }

            // A folded continuation belongs to the header before it.
            if (line[0] is (byte)' ' or (byte)'\t')
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0)
            {
                continue;
            }

            var name = line[..colon].TrimEnd(" \t"u8);
            if (name.Length == 7 ? System.Text.Ascii.EqualsIgnoreCase(name, "Call-ID"u8) : name.Length == 1 && (name[0] | 0x20) == (byte)'i')
            {
                return line[(colon + 1)..].Trim(" \t"u8);
            }
        }

        return default;
    }
}
