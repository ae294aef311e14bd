using System.Globalization;
using System.Text.Json;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.Hints;

/// <summary>
/// The JSON a Dataverse service endpoint sends for a step (message format JSON): the serialised
/// <c>Microsoft.Xrm.Sdk.RemoteExecutionContext</c> of an asynchronous post-operation step. Only the commonly read fields
/// are filled; <c>InputParameters</c> carries the target reference, not the row's values.
/// </summary>
internal static class RemoteExecutionContextJson
{
    public static byte[] Write(StoreChange change, string organizationName, Guid organizationId, Guid correlationId)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("BusinessUnitId", Guid.Empty);
            json.WriteString("CorrelationId", correlationId);
            json.WriteNumber("Depth", 1);
            json.WriteString("InitiatingUserId", Guid.Empty);
            json.WriteStartArray("InputParameters");
            json.WriteStartObject();
            json.WriteString("key", "Target");
            json.WriteStartObject("value");
            json.WriteString("__type", "EntityReference:http://schemas.microsoft.com/xrm/2011/Contracts");
            json.WriteString("Id", change.Id);
            json.WriteString("LogicalName", change.Entity);
            json.WriteNull("Name");
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteBoolean("IsExecutingOffline", false);
            json.WriteBoolean("IsInTransaction", false);
            json.WriteBoolean("IsOfflinePlayback", false);
            json.WriteNumber("IsolationMode", 1);
            json.WriteString("MessageName", RequestName(change.Kind));
            json.WriteNumber("Mode", 1);
            json.WriteString("OperationCreatedOn", "/Date(" + change.At.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture) + ")/");
            json.WriteString("OperationId", Guid.NewGuid());
            json.WriteString("OrganizationId", organizationId);
            json.WriteString("OrganizationName", organizationName);
            json.WriteStartArray("OutputParameters");
            json.WriteEndArray();
            json.WriteNull("ParentContext");
            json.WriteStartArray("PostEntityImages");
            json.WriteEndArray();
            json.WriteStartArray("PreEntityImages");
            json.WriteEndArray();
            json.WriteString("PrimaryEntityId", change.Id);
            json.WriteString("PrimaryEntityName", change.Entity);
            json.WriteString("RequestId", Guid.NewGuid());
            json.WriteString("SecondaryEntityName", "none");
            json.WriteStartArray("SharedVariables");
            json.WriteEndArray();
            json.WriteNumber("Stage", 40);
            json.WriteString("UserId", Guid.Empty);
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    public static string RequestName(ChangeKind kind) => kind switch
    {
        ChangeKind.Create => "Create",
        ChangeKind.Update => "Update",
        ChangeKind.Restore => "Restore",
        _ => "Delete",
    };
}
