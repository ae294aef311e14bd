using System.Text.Json;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Metadata;

/// <summary>The EntityMetadata properties the simulator serves, their values, and how each is written.</summary>
internal static class EntityMetadataProperties
{
    public static readonly string[] All =
    [
        "MetadataId", "LogicalName", "SchemaName", "EntitySetName", "LogicalCollectionName", "CollectionSchemaName",
        "PrimaryIdAttribute", "PrimaryNameAttribute", "ChangeTrackingEnabled", "ObjectTypeCode", "IsCustomEntity",
        "IsActivity", "IsIntersect", "OwnershipType", "HasChanged",
    ];

    public static bool Exists(string name) => All.Contains(name, StringComparer.Ordinal);

    /// <summary>The value for <c>$filter</c> purposes (enums as their names).</summary>
    public static object? ValueOf(EntityDefinition entity, string name) => name switch
    {
        "MetadataId" => entity.MetadataId,
        "LogicalName" => entity.LogicalName,
        "SchemaName" => entity.SchemaName,
        "EntitySetName" or "LogicalCollectionName" => entity.EntitySetName,
        "CollectionSchemaName" => entity.SchemaName + "s",
        "PrimaryIdAttribute" => entity.PrimaryIdAttribute,
        "PrimaryNameAttribute" => entity.PrimaryNameAttribute,
        "ChangeTrackingEnabled" => entity.ChangeTrackingEnabled,
        "ObjectTypeCode" => entity.ObjectTypeCode,
        "IsCustomEntity" => entity.IsCustomEntity,
        "IsActivity" => false,
        "IsIntersect" => entity.LogicalName is "accountleads" or "contactleads",
        "OwnershipType" => entity.Find("ownerid") is null ? "OrganizationOwned" : "UserOwned",
        _ => null,
    };

    public static void Write(Utf8JsonWriter writer, EntityDefinition entity, string name)
    {
        writer.WritePropertyName(name);
        OData.RowJsonWriter.WriteValue(writer, ValueOf(entity, name));
    }
}
