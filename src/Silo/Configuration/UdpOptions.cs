using OrleansProxy.Sip;

namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Udp": how requests the proxy forwards over UDP are bounded.</summary>
internal sealed class UdpOptions : ISectionOptions
{
    public const int DefaultMaxRequestBytes = 1300;

    /// <summary>
    /// A request larger than this goes over TCP when a TCP listener exists (RFC 3261 §18.1.1: 1300 bytes when the path
    /// MTU is unknown), over UDP after all when the server refuses the connection; 0 keeps every request on UDP.
    /// </summary>
    public int MaxRequestBytes { get; set; } = DefaultMaxRequestBytes;

    public void ReadFrom(SectionReader section)
    {
        MaxRequestBytes = section.Int(nameof(MaxRequestBytes), MaxRequestBytes);
    }


    public void Validate(SectionFaults section) => section.InRange(MaxRequestBytes, nameof(MaxRequestBytes), 0, SipDefaults.MaxMessageBytes);
}
