namespace ReportingSync.Sql;

/// <summary>
/// What one metadata table should hold for the entities of a sync: <paramref name="Rows"/> (values of
/// <see cref="OwnedTable.Writable"/>, version and timestamp left null), and the <paramref name="Scope"/> values of
/// <see cref="OwnedTable.ScopeColumn"/> whose existing rows the sync owns (rows outside it are left alone).
/// </summary>
internal sealed record MetadataTableRows(OwnedTable Table, IReadOnlyList<string> Scope, IReadOnlyList<object?[]> Rows);
