namespace OrleansProxy.Grains;

/// <summary>The configured role of a member; which one is active is separate state.</summary>
[GenerateSerializer, Alias("OrleansProxy.MemberRole")]
public enum MemberRole
{
    Primary = 0,
    Backup = 1,
}
