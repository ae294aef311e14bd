namespace ReportingSync.DataverseSimulator.OData;

/// <summary>A request the service refuses, answered as <c>{"error":{"code":..,"message":..}}</c> with this status.</summary>
internal sealed class ODataException(int statusCode, string code, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Code { get; } = code;
}
