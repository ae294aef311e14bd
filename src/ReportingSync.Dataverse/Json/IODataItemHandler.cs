using System.Text.Json;

namespace ReportingSync.Dataverse;

/// <summary>Consumes one object of an OData collection's <c>value</c> array.</summary>
internal interface IODataItemHandler
{
    /// <summary>Called with the reader on the item's StartObject; must leave it on the matching EndObject.</summary>
    void ReadItem(ref Utf8JsonReader reader);
}
