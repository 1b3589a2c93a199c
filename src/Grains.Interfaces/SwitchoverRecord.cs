namespace OrleansProxy.Grains;

[GenerateSerializer, Immutable, Alias("OrleansProxy.SwitchoverRecord")]
public sealed record SwitchoverRecord(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string? From,
    [property: Id(2)] string To,
    [property: Id(3)] SwitchoverReason Reason,
    [property: Id(4)] string Detail);
