using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using OrleansProxy.Grains;
using OrleansProxy.Routing.Policy;

namespace OrleansProxy.Silo.Admin;

/// <summary>
/// The admin API's JSON shape, fixed here rather than by host-wide serializer options:
/// camelCase names, enums as their names.
/// </summary>
[JsonSerializable(typeof(PairStatusDto))]
[JsonSerializable(typeof(PairStatusDto[]))]
[JsonSerializable(typeof(AdminErrorDto))]
[JsonSerializable(typeof(ReadinessReport))]
[JsonSerializable(typeof(RoutesDto))]
[JsonSerializable(typeof(ReloadDto))]
internal sealed partial class AdminJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context the API writes with. Its readers are curl, scripts and dashboards, never an
    /// HTML page, so quotes and apostrophes in pair names and messages are left unescaped.
    /// </summary>
    public static AdminJsonContext Wire { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Converters =
        {
            new JsonStringEnumConverter<MemberRole>(),
            new JsonStringEnumConverter<MemberHealth>(),
            new JsonStringEnumConverter<SwitchoverReason>(),
            new JsonStringEnumConverter<RoutingRuleKind>(),
        },
    });
}
