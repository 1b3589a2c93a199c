namespace OrleansProxy.Grains;

[GenerateSerializer, Alias("OrleansProxy.MemberHealth")]
public enum MemberHealth
{
    Unknown = 0,
    Up = 1,
    Down = 2,
}
