using System.Text.Json;

namespace ReportingSync.Dataverse;

/// <summary>
/// <c>DeletedMetadata</c>: <c>Keys</c> (DeletedMetadataFilters names) and <c>Values</c>, per key a collection of
/// MetadataIds. Read leniently (every GUID anywhere under <c>Values</c>): Microsoft documents the SDK type, a dictionary
/// of GUID collections, but not its exact JSON nesting.
/// </summary>
internal sealed record DeletedMetadataDto(List<string>? Keys, JsonElement Values);
