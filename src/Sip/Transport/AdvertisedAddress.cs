namespace OrleansProxy.Sip.Transport;

/// <summary>
/// The name a listener gives itself in Via and Record-Route instead of the address it is bound to: a listener on every
/// address (0.0.0.0, ::) has no address of its own to name, and one behind a NAT or a Kubernetes service is reached
/// at another.
/// </summary>
/// <param name="Host">An IP address (IPv6 without brackets) or a host name.</param>
/// <param name="Port">The port to name; 0 names the listener's own.</param>
public readonly record struct AdvertisedAddress(string Host, int Port = 0);
