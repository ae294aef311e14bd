namespace ReportingSync.Sql;

/// <summary>Names entity tables must not take because the replicator's own tables and views use them.</summary>
internal static class ReservedNames
{
    /// <summary>
    /// DeleteLog and the metadata tables share the data schema with entity tables. SQLite compares names
    /// case-insensitively, so the check does too (a Dataverse table called "deletelog" would otherwise land in the log).
    /// Shadow tables (<c>x__reseed</c>) are entity tables too and pass.
    /// </summary>
    public static bool IsReservedTableName(string table, string? statePrefix = null) =>
        string.Equals(table, StateTables.DeleteLog, StringComparison.OrdinalIgnoreCase)
        || MetadataTables.IsMetadataTable(table)
        || (statePrefix is not null && table.StartsWith(statePrefix, StringComparison.OrdinalIgnoreCase));
}
