namespace ReportingSync.DataverseSimulator.OData;

/// <summary>Dataverse error codes and the messages the real service uses with them.</summary>
internal static class ErrorCodes
{
    /// <summary>OData-level failures: unknown property or segment, unsupported query option.</summary>
    public const string ODataError = "0x80060888";

    /// <summary>Invalid argument: bad paging cookie or delta token.</summary>
    public const string InvalidArgument = "0x80040203";

    /// <summary>Row not found.</summary>
    public const string ObjectDoesNotExist = "0x80040217";

    /// <summary>ExpiredVersionStamp (-2147204270).</summary>
    public const string ExpiredVersionStamp = "0x80044352";

    public const string RequestLimitExceeded = "0x80072322";

    public const string ConcurrencyLimitExceeded = "0x80072326";

    public const string ExpiredVersionStampMessage = "Version stamp associated with the client has expired. Please perform a full sync.";

    public static ODataException PropertyNotFound(string property, string type) =>
        new(400, ODataError, $"Could not find a property named '{property}' on type 'Microsoft.Dynamics.CRM.{type}'.");

    public static ODataException SegmentNotFound(string segment) =>
        new(404, ODataError, $"Resource not found for the segment '{segment}'.");

    public static ODataException EntityNotInMetadata(string logicalName) =>
        new(404, ODataError, $"The entity with a name = '{logicalName}' with namemapping = 'Logical' was not found in the MetadataCache.");

    public static ODataException BadRequest(string message) => new(400, ODataError, message);

    public static ODataException Expired() => new(400, ExpiredVersionStamp, ExpiredVersionStampMessage);
}
