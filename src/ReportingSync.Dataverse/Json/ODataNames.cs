namespace ReportingSync.Dataverse;

/// <summary>Property and annotation names of Dataverse Web API payloads.</summary>
internal static class ODataNames
{
    public const string Context = "@odata.context";
    public const string NextLink = "@odata.nextLink";
    public const string DeltaLink = "@odata.deltaLink";
    public const string Value = "value";

    /// <summary>A deleted row in a delta: <c>{"@odata.context": ".../$deletedEntity", "id": "...", "reason": "deleted"}</c>.</summary>
    public const string DeletedEntitySuffix = "$deletedEntity";
    public const string DeletedId = "id";

    public const string LookupLogicalName = "Microsoft.Dynamics.CRM.lookuplogicalname";
    public const string FormattedValue = "OData.Community.Display.V1.FormattedValue";

    /// <summary><c>_x_value</c>: how the Web API names a lookup attribute's id.</summary>
    public static string LookupValue(string attribute) => "_" + attribute + "_value";

    public static string Annotation(string property, string annotation) => property + "@" + annotation;
}
