using System.Buffers;
using OrleansProxy.Sip.Parsing;

namespace OrleansProxy.Sip.Uri;

/// <summary>Scans <c>;name=value;flag</c> parameter lists (URI and header parameters) without allocating.</summary>
public static class SipParameters
{
    // What ends a parameter, and the quote that hides those inside a value: searched for a vector at a time.
    private static readonly SearchValues<byte> ParameterStops = SearchValues.Create(";,?>\""u8);

    /// <summary>
    /// Finds a parameter by case-insensitive name in text starting at a ';'. <paramref name="value"/> is the
    /// range of its value within <paramref name="parameters"/> (empty for a flag such as <c>lr</c> or a bare <c>rport</c>).
    /// </summary>
    public static bool TryFind(ReadOnlySpan<byte> parameters, ReadOnlySpan<byte> name, out Range value)
    {
        var position = 0;
        while (TryReadNext(parameters, ref position, out var parameterName, out value))
        {
            if (SipSyntax.EqualsIgnoreCase(parameters[parameterName], name))
            {
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// Reads the parameter after <paramref name="position"/> (0 at first) and moves past it, so that a caller after
    /// several names reads the list once. The list ends at its end or after a parameter that a ',', '?' or '>' ends.
    /// </summary>
    /// <param name="name">The parameter's name, trimmed; ranges index <paramref name="parameters"/>.</param>
    /// <param name="value">Its value, trimmed; empty, at the parameter's end, for a flag.</param>
    public static bool TryReadNext(ReadOnlySpan<byte> parameters, ref int position, out Range name, out Range value)
    {
        name = value = default;
        if (position >= parameters.Length)
        {
            return false;
        }

        var semicolon = parameters[position..].IndexOf((byte)';');
        if (semicolon < 0)
        {
            position = parameters.Length;
            return false;
        }

        var start = position + semicolon + 1;
        var end = EndOfParameter(parameters, start);
        position = end >= parameters.Length || parameters[end] is (byte)',' or (byte)'?' or (byte)'>' ? parameters.Length : end;

        var (paramStart, paramLength) = SipSyntax.Trim(parameters, start, end - start);
        var param = parameters.Slice(paramStart, paramLength);
        var equals = param.IndexOf((byte)'=');
        var (nameStart, nameLength) = SipSyntax.Trim(param, 0, equals < 0 ? param.Length : equals);
        name = new Range(paramStart + nameStart, paramStart + nameStart + nameLength);
        if (equals < 0)
        {
            value = new Range(paramStart + paramLength, paramStart + paramLength);
        }
        else
        {
            var (valueStart, valueLength) = SipSyntax.Trim(param, equals + 1, param.Length - equals - 1);
            value = new Range(paramStart + valueStart, paramStart + valueStart + valueLength);
        }

        return true;
    }

    /// <summary>
    /// The first ';', ',', '?' or '>' at or after <paramref name="start"/> outside a quoted value (a quote opens or
    /// closes, without escapes), or the length of <paramref name="parameters"/>.
    /// </summary>
    private static int EndOfParameter(ReadOnlySpan<byte> parameters, int start)
    {
        var end = start;
        while (end < parameters.Length)
        {
            var stop = parameters[end..].IndexOfAny(ParameterStops);
            if (stop < 0)
            {
                return parameters.Length;
            }

            end += stop;
            if (parameters[end] != '"')
            {
                return end;
            }

            var close = parameters[(end + 1)..].IndexOf((byte)'"');
            if (close < 0)
            {
                return parameters.Length;
            }

            end += close + 2;
        }

        return end;
    }
}
