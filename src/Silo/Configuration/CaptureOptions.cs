namespace OrleansProxy.Silo.Configuration;

/// <summary>"Proxy:Capture": where SIP messages are copied to (only HEP so far).</summary>
internal sealed class CaptureOptions : ISectionOptions
{
    public HepCaptureOptions Hep { get; } = new();

    public void ReadFrom(SectionReader section) => section.Section(nameof(Hep), Hep);
}
