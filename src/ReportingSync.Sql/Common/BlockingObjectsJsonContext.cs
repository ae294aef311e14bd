using System.Text.Json.Serialization;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>Source-generated serialization of <see cref="BlockingObjectsJson"/>.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(List<BlockingObject>))]
internal sealed partial class BlockingObjectsJsonContext : JsonSerializerContext;
