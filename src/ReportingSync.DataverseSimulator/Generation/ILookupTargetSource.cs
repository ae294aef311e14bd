using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Generation;

/// <summary>What the generator needs to know about other tables to point lookups at rows that exist.</summary>
internal interface ILookupTargetSource
{
    /// <summary>Number of generated rows of a served table; 0 when the table is not served.</summary>
    int GeneratedRowCount(string entity);

    /// <summary>The generated row at <paramref name="index"/> of a served table, with its current primary name.</summary>
    LookupValue GeneratedRow(string entity, int index);
}
