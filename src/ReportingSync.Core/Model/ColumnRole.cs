namespace ReportingSync.Model;

/// <summary>Where a column's value comes from in a Web API row.</summary>
public enum ColumnRole
{
    /// <summary>The primary id attribute (e.g. <c>contactid</c>), stored as <c>Id</c>.</summary>
    PrimaryId,

    /// <summary>A plain attribute value: JSON property named like the attribute.</summary>
    Value,

    /// <summary><c>versionnumber</c>: the staleness key.</summary>
    Version,

    /// <summary>A lookup's id: JSON property <c>_x_value</c>.</summary>
    LookupId,

    /// <summary>A lookup's target table: annotation <c>_x_value@Microsoft.Dynamics.CRM.lookuplogicalname</c>.</summary>
    LookupEntityType,

    /// <summary>A lookup's display name: annotation <c>_x_value@OData.Community.Display.V1.FormattedValue</c>.</summary>
    LookupName,
}
