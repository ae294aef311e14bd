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

    /// <summary>
    /// A lookup's yomi (phonetic) name, <c>&lt;lookup&gt;yominame</c>: the Web API carries none (a lookup's annotations are
    /// its display name, target table and navigation property, and derived attributes are not properties), so the column
    /// holds NULL; it stays in the table for the Data Export Service shape. Never the display name, which is another value.
    /// </summary>
    LookupYomiName,
}
