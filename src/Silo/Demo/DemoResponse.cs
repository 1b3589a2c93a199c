using System.Text;
using OrleansProxy.Sip.Message;
using OrleansProxy.Sip.Uri;

namespace OrleansProxy.Silo.Demo;

/// <summary>What the user agent keeps of a final response once the receive buffer is reused.</summary>
/// <param name="To">The To header value, with the remote tag.</param>
/// <param name="Contact">The Contact URI (without angle brackets); null when absent.</param>
/// <param name="RecordRoutes">Record-Route values in the order they appear.</param>
internal sealed record DemoResponse(int StatusCode, string ReasonPhrase, string To, string? Contact, IReadOnlyList<string> RecordRoutes)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public static DemoResponse From(SipMessage response)
    {
        string? contact = null;
        foreach (var header in response.Headers)
        {
            if (header.Kind == HeaderKind.Contact && contact is null)
            {
                var value = response[header.Value];
                contact = NameAddress.TrySplit(value, out var uri, out _) ? Encoding.ASCII.GetString(value[uri]) : null;
            }
        }

        var recordRoutes = new string[response.RecordRoutes.Count];
        for (var i = 0; i < recordRoutes.Length; i++)
        {
            recordRoutes[i] = Encoding.ASCII.GetString(response[response.RecordRoutes[i].Value]);
        }

        return new DemoResponse(
            response.StatusCode,
            Encoding.ASCII.GetString(response[response.ReasonPhrase]),
            Encoding.ASCII.GetString(response[response.To]),
            contact,
            recordRoutes);
    }
}
