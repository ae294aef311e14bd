namespace ReportingSync.Sql;

/// <summary>A secondary index of a replicator-owned table.</summary>
internal sealed record OwnedIndex(bool Unique, IReadOnlyList<string> Columns)
{
    /// <summary><c>IX_&lt;table&gt;_&lt;columns&gt;</c> (or <c>UX_</c> when unique), from the table's physical name.</summary>
    public string Name(string table) => (Unique ? "UX_" : "IX_") + table + "_" + string.Join('_', Columns);
}
