namespace ReportingSync.Model;

/// <summary>Which target schema shape to produce.</summary>
public enum SchemaCompatibility
{
    /// <summary>DESIGN.md's mapping: datetime2, date for DateOnly, float for Double.</summary>
    Standard,

    /// <summary>The retired Data Export Service's shape exactly: datetime everywhere, decimal(38,p) for Double.</summary>
    Des,
}
