namespace ReportingSync.Dataverse;

/// <summary>RetrieveMetadataChanges refused the ClientVersionStamp (0x80044352): the client asks again without one.</summary>
internal sealed class MetadataStampExpiredException(string detail) : Exception(detail);
