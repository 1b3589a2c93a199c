using System.Net;

namespace OrleansProxy.Sip.Transport;

/// <summary>
/// The source address the operating system would send from to a destination: its route table's choice, which names
/// the interface a packet to that destination leaves by.
/// </summary>
public interface IRouteTable
{
    /// <returns>Null when the system has no route to <paramref name="destination"/>.</returns>
    IPAddress? SourceAddressFor(IPAddress destination);
}
