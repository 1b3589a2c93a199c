using OrleansProxy.Grains;

namespace OrleansProxy.Silo.Admin;

internal sealed record SwitchoverDto(DateTimeOffset At, string? From, string To, SwitchoverReason Reason, string Detail)
{
    public static SwitchoverDto Create(SwitchoverRecord record) =>
        new(record.At, record.From, record.To, record.Reason, record.Detail);
}
