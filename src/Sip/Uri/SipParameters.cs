using System.Buffers;
using System.Text;
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
        value = default;
        var position = 0;
        while (position < parameters.Length)
        {
            var semicolon = parameters[position..].IndexOf((byte)';');
            if (semicolon < 0)
            {
                return false;
            }

            var start = position + semicolon + 1;
            var end = EndOfParameter(parameters, start);

            var (paramStart, paramLength) = SipSyntax.Trim(parameters, start, end - start);
            var param = parameters.Slice(paramStart, paramLength);
            var equals = param.IndexOf((byte)'=');
            var paramName = equals < 0 ? param : param[..equals];
            var (nameStart, nameLength) = SipSyntax.Trim(paramName, 0, paramName.Length);
            if (Ascii.EqualsIgnoreCase(paramName.Slice(nameStart, nameLength), name))
            {
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

            if (end >= parameters.Length || parameters[end] is (byte)',' or (byte)'?' or (byte)'>')
            {
                return false;
            }

            position = end;
        }

        return false;
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
