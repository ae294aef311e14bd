using System.Text.Json.Serialization;

namespace ReportingSync.Dataverse;

/// <summary>Source-generated (reflection-free) serialization of the metadata answers.</summary>
[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(EntityDefinitionDto))]
[JsonSerializable(typeof(AttributeListDto))]
[JsonSerializable(typeof(RecordCountDto))]
[JsonSerializable(typeof(WhoAmIDto))]
[JsonSerializable(typeof(MetadataChangesDto))]
internal sealed partial class MetadataJsonContext : JsonSerializerContext
{
}
