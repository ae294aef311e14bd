using System.Text.Json;

namespace ReportingSync.Dataverse;

/// <summary>Consumes one object of an OData collection's <c>value</c> array.</summary>
internal interface IODataItemHandler
{
    /// <summary>
    /// Called with the reader on the item's StartObject; leaves it on the matching EndObject and returns true, or returns
    /// false, having kept nothing of the item, when the reader's data ends inside it (a body read a segment at a time):
    /// the item is then read again, whole, from its start.
    /// </summary>
    bool ReadItem(ref Utf8JsonReader reader);
}
