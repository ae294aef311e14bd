namespace ReportingSync.Dataverse;

/// <summary>The parts of a RetrieveMetadataChangesResponse a drift check reads.</summary>
internal sealed record MetadataChangesDto(string? ServerVersionStamp, List<ChangedEntityDto>? EntityMetadata, DeletedMetadataDto? DeletedMetadata);
