using ReportingSync.Model;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// What DDL on an entity table could lose in SQLite, and how it is kept. SQLite has no grants, comments, owners or
/// schema-bound objects; a view names its tables and is compiled when it is used, so views (analysts' and those on the
/// label view) survive any change of the table, even its replacement, as long as the columns they use are there.
/// What belongs to a table is its indexes and triggers, and <c>sqlite_master</c> keeps the exact statement that made
/// each: when a type change replaces the live table with the shadow table (SQLite cannot change a column's type in
/// place), they are read before the live table is dropped and run again once the shadow table has its name. Plain
/// re-seeds apply the shadow to the live table, so its indexes and triggers simply stay. The live table's columns the
/// shadow table lacks go over to it first, with their values (<see cref="CarryColumnsAsync"/>).
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

    /// <summary>The columns of a table, with what <c>ALTER TABLE ... ADD COLUMN</c> needs to make them again.</summary>
    internal const string ColumnDefinitions = "SELECT name, type, \"notnull\", dflt_value FROM pragma_table_info(@table) ORDER BY cid;";

    /// <summary>
    /// Adds to the shadow table each column of the live table it lacks (a column kept after its attribute was removed, a
    /// column an analyst added), with its declared type and default, and copies its values by id, so replacing the live
    /// table by the shadow (a type change) keeps them. NOT NULL is kept where a default makes it possible to add.
    /// </summary>
    public static async Task CarryColumnsAsync(SqlSession session, SqliteDialect dialect, TableLayout layout, CancellationToken ct)
    {
        var live = await DefinitionsAsync(session, dialect, layout.TableName, ct).ConfigureAwait(false);
        var shadow = (await DefinitionsAsync(session, dialect, layout.ShadowTableName, ct).ConfigureAwait(false)).Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var missing = live.Where(c => !shadow.Contains(c.Name)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var entity = layout.EntityName;
        var liveTable = dialect.Table(layout.TableName, entity);
        var shadowTable = dialect.Table(layout.ShadowTableName, entity);
        foreach (var (name, type, notNull, defaultValue) in missing)
        {
            var definition = dialect.Quote(name) + (type.Length > 0 ? " " + type : "")
                             + (defaultValue is null ? "" : (notNull ? " NOT NULL" : "") + " DEFAULT " + defaultValue);
            await session.ExecuteAsync($"ALTER TABLE {shadowTable} ADD COLUMN {definition};", ct).ConfigureAwait(false);
        }

        var columns = string.Join(", ", missing.Select(c => dialect.Quote(c.Name)));
        var id = dialect.Quote(SyncColumns.Id);
        await session.ExecuteAsync(
            $"UPDATE {shadowTable} SET ({columns}) = (SELECT {string.Join(", ", missing.Select(c => "l." + dialect.Quote(c.Name)))} FROM {liveTable} AS l WHERE l.{id} = {shadowTable}.{id});",
            ct).ConfigureAwait(false);
    }

    private static async Task<List<(string Name, string Type, bool NotNull, string? Default)>> DefinitionsAsync(SqlSession session, SqliteDialect dialect, string table, CancellationToken ct)
    {
        await using var command = session.Command(ColumnDefinitions, dialect.Parameter("@table", ColumnStorageType.String, table));
        return await SqlSession.ReadAllAsync(
            command, r => (r.GetString(0), r.IsDBNull(1) ? "" : r.GetString(1), r.GetInt64(2) != 0, r.IsDBNull(3) ? null : r.GetString(3)), ct).ConfigureAwait(false);
    }
}
