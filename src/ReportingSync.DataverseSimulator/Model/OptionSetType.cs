namespace ReportingSync.DataverseSimulator.Model;

/// <summary>The <c>OptionSetType</c> property of an option set; multi-select sets are <c>Picklist</c> like the real service.</summary>
internal enum OptionSetType
{
    Picklist,
    State,
    Status,
    Boolean,
}
