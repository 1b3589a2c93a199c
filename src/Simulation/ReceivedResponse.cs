using System.Net;
using System.Text;
using OrleansProxy.Sip.Message;

namespace OrleansProxy.Simulation;

/// <summary>What a user agent keeps of a response once the datagram is gone: enough to acknowledge it and build the dialog.</summary>
/// <param name="ToLine">The whole To header line, CRLF included, as the dialog's requests repeat it.</param>
/// <param name="Contact">The remote target URI; null when the response had no Contact.</param>
/// <param name="RecordRoutes">Every Record-Route value, topmost first.</param>
internal sealed record ReceivedResponse(int StatusCode, string ReasonPhrase, string ToLine, string? Contact, IReadOnlyList<string> RecordRoutes)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public static ReceivedResponse From(SipMessage response)
    {
        var toLine = string.Empty;
        string? contact = null;
        foreach (var header in response.Headers)
        {
            if (header.Kind == HeaderKind.To)
            {
                toLine = Text(response, header.Line);
            }
            else if (header.Kind == HeaderKind.Contact && contact is null)
            {
                contact = SipAddresses.UriOf(Text(response, header.Value));
            }
        }

        var routes = new string[response.RecordRoutes.Count];
        for (var i = 0; i < routes.Length; i++)
        {
            routes[i] = Text(response, response.RecordRoutes[i].Value);
        }

        return new ReceivedResponse(response.StatusCode, Text(response, response.ReasonPhrase), toLine, contact, routes);
    }

    /// <summary>The address the Contact names, when it is an IP address: which member answered.</summary>
    public IPEndPoint? ContactEndPoint => Contact is not null && SipAddresses.TryGetEndPoint(Contact, out var endPoint) ? endPoint : null;

    private static string Text(SipMessage message, TextRange range) => Encoding.ASCII.GetString(message[range]);
}
