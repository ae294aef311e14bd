using System.Text.Json.Serialization;

namespace ReportingSync.Dataverse;

// Wire shapes of the EntityDefinitions answers (only the properties we $select). Metadata is small and read rarely,
// so plain deserialization is fine here, unlike rows.

internal sealed record EntityDefinitionDto(
    string? LogicalName,
    string? EntitySetName,
    string? PrimaryIdAttribute,
    string? PrimaryNameAttribute,
    bool? ChangeTrackingEnabled,
    Guid MetadataId);

internal sealed record AttributeListDto([property: JsonPropertyName("value")] List<AttributeDto>? Value);

/// <summary>One attribute; the cast segments fill the detail properties of their type only.</summary>
internal sealed record AttributeDto(
    string? LogicalName,
    string? AttributeType,
    ValueDto? AttributeTypeName,
    bool? IsValidForRead,
    string? AttributeOf,
    Guid MetadataId,
    int? MaxLength,
    int? Precision,
    int? PrecisionSource,
    ValueDto? DateTimeBehavior,
    List<string>? Targets,
    OptionSetDto? OptionSet,
    OptionSetDto? GlobalOptionSet);

/// <summary><c>{"Value":"StringType"}</c>, the shape of AttributeTypeName and DateTimeBehavior.</summary>
internal sealed record ValueDto(string? Value);

internal sealed record OptionSetDto(string? Name, bool? IsGlobal, List<OptionDto>? Options);

internal sealed record OptionDto(int Value, int? State, LabelDto? Label);

internal sealed record LabelDto(List<LocalizedLabelDto>? LocalizedLabels, LocalizedLabelDto? UserLocalizedLabel);

internal sealed record LocalizedLabelDto(string? Label, int LanguageCode);

internal sealed record RecordCountDto(RecordCountCollectionDto? EntityRecordCountCollection);

internal sealed record RecordCountCollectionDto(List<string>? Keys, List<long>? Values);
