namespace ReportingSync.Sql;

/// <summary>Names entity tables must not take because the replicator's own tables use them.</summary>
internal static class ReservedNames
{
    /// <summary>
    /// DeleteLog shares the data schema with entity tables. SQLite compares names case-insensitively, so the check
    /// does too (a Dataverse table called "deletelog" would otherwise land in the log).
    /// </summary>
    public static bool IsReservedTableName(string table, string? statePrefix = null) =>
        string.Equals(table, StateTables.DeleteLog, StringComparison.OrdinalIgnoreCase)
        || (statePrefix is not null && table.StartsWith(statePrefix, StringComparison.OrdinalIgnoreCase));
}
