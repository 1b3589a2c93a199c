namespace OrleansProxy.Silo.Configuration;

/// <summary>An options class of one configuration section: its properties hold the defaults, and it reads its own keys.</summary>
internal interface ISectionOptions
{
    /// <summary>Overwrites each property whose key is set; every key it reads is a known key of the section.</summary>
    void ReadFrom(SectionReader section);
}
