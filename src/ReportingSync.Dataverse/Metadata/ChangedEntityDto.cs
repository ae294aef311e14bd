namespace ReportingSync.Dataverse;

/// <summary>A table in a RetrieveMetadataChangesResponse (a ComplexEntityMetadata), with the columns that came with it.</summary>
internal sealed record ChangedEntityDto(string? LogicalName, Guid MetadataId, List<ChangedAttributeDto>? Attributes);
