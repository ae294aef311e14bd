namespace ReportingSync.Dataverse;

/// <summary>What a request is for; decides what an error answer means (a 404 on metadata is "no such table").</summary>
internal enum RequestPurpose
{
    Metadata,
    ChangesStart,
    ChangesContinue,
    Query,
    QueryContinue,
    Count,

    /// <summary>The organisation itself (<c>WhoAmI</c>).</summary>
    Organization,

    /// <summary><c>RetrieveMetadataChanges</c>: 0x80044352 there is an expired metadata stamp, not a change token.</summary>
    MetadataChanges,
}
