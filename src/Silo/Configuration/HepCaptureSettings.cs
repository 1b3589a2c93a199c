namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Capture:Hep" when it is on: every SIP message goes to <paramref name="Collector"/> as HEP v3.</summary>
/// <param name="Collector">The collector's UDP address; a host name is resolved once, when the listeners start.</param>
/// <param name="CaptureId">Names this node to the collector.</param>
/// <param name="QueueSize">Messages that may wait for the sender before new ones are dropped.</param>
internal sealed record HepCaptureSettings(HostPort Collector, uint CaptureId, int QueueSize);
