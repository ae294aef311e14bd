namespace ReportingSync.Dataverse;

/// <summary>A column in a RetrieveMetadataChangesResponse: only its id is needed, to recognise it when it is deleted.</summary>
internal sealed record ChangedAttributeDto(Guid MetadataId);
