using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OrleansProxy.Silo.Tests.TestSupport;

/// <summary>What a plain SIP server answers to a request, as wire text: nothing to ACK, 100 and 200 to INVITE, 200 to the rest.</summary>
internal static class SipAnswers
{
    public const string ServerTag = "srv-tag";

    public static IEnumerable<string> For(string request, IPEndPoint server, string transport)
    {
        var method = request[..request.IndexOf(' ', StringComparison.Ordinal)];
        if (method == "ACK")
        {
            return [];
        }

        var ok = Response(request, "200 OK", server, transport);
        return method == "INVITE" ? [Response(request, "100 Trying", server, transport), ok] : [ok];
    }

    /// <summary>A response that copies Via, From, To (with our tag), Call-ID and CSeq from the request.</summary>
    public static string Response(string request, string status, IPEndPoint server, string transport)
    {
        var text = new StringBuilder($"SIP/2.0 {status}\r\n");
        foreach (var line in request[..request.IndexOf("\r\n\r\n", StringComparison.Ordinal)].Split("\r\n").Skip(1))
        {
            var name = line[..Math.Max(0, line.IndexOf(':', StringComparison.Ordinal))].Trim();
            if (Is(name, "Via", "v") || Is(name, "From", "f") || Is(name, "Call-ID", "i") || Is(name, "CSeq", null))
            {
                text.Append(line).Append("\r\n");
            }
            else if (Is(name, "To", "t"))
            {
                text.Append(line).Append(line.Contains(";tag=", StringComparison.Ordinal) || status.StartsWith("100", StringComparison.Ordinal) ? string.Empty : $";tag={ServerTag}").Append("\r\n");
            }
        }

        var host = server.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{server.Address}]" : server.Address.ToString();
        text.Append($"Contact: <sip:server@{host}:{server.Port};transport={transport}>\r\n");
        text.Append("Content-Length: 0\r\n\r\n");
        return text.ToString();
    }

    private static bool Is(string name, string full, string? compact) =>
        name.Equals(full, StringComparison.OrdinalIgnoreCase) || (compact is not null && name.Equals(compact, StringComparison.OrdinalIgnoreCase));
}
