using ReportingSync.Model;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// What DDL on an entity table could lose in SQLite, and how it is kept. SQLite has no grants, comments, owners or
/// schema-bound objects; a view names its tables and is compiled when it is used, so views (analysts' and those on the
/// label view) survive any change of the table, even its replacement, as long as the columns they use are there.
/// What belongs to a table is its indexes and triggers, and <c>sqlite_master</c> keeps the exact statement that made
/// each: when a type change replaces the live table with the shadow table (SQLite cannot change a column's type in
/// place), they are read before the live table is dropped and run again once the shadow table has its name. Plain
/// re-seeds apply the shadow to the live table, so its indexes and triggers simply stay.
/// </summary>
internal static class SqliteDependents
{
    /// <summary>The user's indexes and triggers on a table (automatic indexes of keys have no SQL and come with the table).</summary>
    internal const string IndexesAndTriggers =
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = @table COLLATE NOCASE AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name;";

    /// <summary>The statements that make the table's indexes and triggers again, as SQLite stored them.</summary>
    public static async Task<IReadOnlyList<DependentObject>> ReadAsync(SqlSession session, SqliteDialect dialect, string table, CancellationToken ct)
    {
        await using var command = session.Command(IndexesAndTriggers, dialect.Parameter("@table", ColumnStorageType.String, table));
        return await SqlSession.ReadAllAsync(
            command, r => new DependentObject($"{r.GetString(0)} {r.GetString(1)}", [], [new SqlStatement(r.GetString(2))]), ct).ConfigureAwait(false);
    }
}
