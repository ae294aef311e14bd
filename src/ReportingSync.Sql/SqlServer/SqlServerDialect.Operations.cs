using System.Data.Common;
using Microsoft.Data.SqlClient;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// SQL Server on a connection: XACT_ABORT transactions and the DDL app lock, sys.columns and what depends on a table,
/// SqlBulkCopy into session #temp tables (the page's stage, its keys, its deletes), the key stage. Temp table names start with '#',
/// outside the identifier rule that guards names from metadata, so they are quoted by hand.
/// </summary>
internal sealed partial class SqlServerDialect
{
    /// <summary>sp_getapplock resource that serialises our DDL across workers (IF OBJECT_ID ... CREATE is not atomic).</summary>
    private const string DdlLock = "ReportingSync.DDL";

    private const string StageTable = "#reportingsync_stage";
    private const string KeysTable = "#reportingsync_keys";
    private const string IdsTable = "#reportingsync_ids";
    private const string KeyStageTable = "#reportingsync_recon_keys";

    /// <summary>A transaction with XACT_ABORT ON: an error dooms and rolls back all of it, rather than only the failing statement.</summary>
    protected override async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await new SqlSession(connection, null).ExecuteAsync("SET XACT_ABORT ON;", cancellationToken).ConfigureAwait(false);
        return await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>An exclusive app lock owned by the transaction.</summary>
    protected override string LockDdl =>
        $"EXEC sp_getapplock @Resource = {NLiteral(DdlLock)}, @LockMode = N'Exclusive', @LockOwner = N'Transaction';";

    public override async Task<IReadOnlyList<TargetColumn>?> ColumnsAsync(SqlSession session, string qualified, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT c.name, t.name, c.max_length, c.precision, c.scale FROM sys.columns AS c " +
            "INNER JOIN sys.types AS t ON t.user_type_id = c.user_type_id WHERE c.object_id = OBJECT_ID(@table, N'U') ORDER BY c.column_id;",
            Parameter("@table", ColumnStorageType.String, qualified, 4000));
        var columns = await SqlSession.ReadAllAsync(command, r =>
        {
            var (type, maxLength, precision, spelled) = ParseType(r.GetString(1), r.GetInt16(2), r.GetByte(3), r.GetByte(4));
            return new TargetColumn(r.GetString(0), type, maxLength, precision, spelled);
        }, cancellationToken).ConfigureAwait(false);
        return columns.Count == 0 ? null : columns;
    }

    public override async Task EnsureSchemasAsync(SqlSession session, CancellationToken cancellationToken)
    {
        foreach (var statement in CreateSchemaStatements())
        {
            await session.ExecuteAsync(statement, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The page's ids go into a temp table first; only when none exists in the table are the rows bulk-copied straight in
    /// (no error-driven fallback: with XACT_ABORT a duplicate key would doom the whole transaction).
    /// </summary>
    public override async Task<long?> TryBulkLoadAsync(
        SqlSession session, TableLayout layout, string table, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(CreateKeys(), cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = Sql(session);
        await SqlServerBulkWriter.WriteKeysAsync(connection, transaction, TempName(KeysTable), layout, rows, cancellationToken).ConfigureAwait(false);
        var exists = await session.ScalarAsync(AnyKeyExists(qualified), cancellationToken).ConfigureAwait(false);
        return (int)exists! == 0
            ? await SqlServerBulkWriter.WriteRowsAsync(connection, transaction, qualified, layout, rows, now, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>SqlBulkCopy into the session's temp stage (keyed by Id; rows are de-duplicated), then one guarded MERGE.</summary>
    public override async Task<long> UpsertRowsAsync(
        SqlSession session, TableLayout layout, string table, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(CreateStage(layout), cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = Sql(session);
        await SqlServerBulkWriter.WriteRowsAsync(connection, transaction, TempName(StageTable), layout, rows, sinkTime: null, cancellationToken).ConfigureAwait(false);
        return await session.ExecuteAsync(new EntitySql(this).Upsert(layout, qualified, Stage), cancellationToken,
            Parameter(EntitySql.Now, ColumnStorageType.DateTime, now)).ConfigureAwait(false);
    }

    /// <summary>The ids with their position, bulk-copied into a session temp table, so the DeleteLog keeps page order.</summary>
    public override async Task<IdList> StageIdsAsync(SqlSession session, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        await session.ExecuteAsync(CreateIds(), cancellationToken).ConfigureAwait(false);
        var (connection, transaction) = Sql(session);
        var rows = ids.Select((id, i) => new object?[] { i, id }).ToList();
        await SqlServerBulkWriter.WriteAsync(connection, transaction, TempName(IdsTable), ["Seq", SyncColumns.Id], rows, (row, i) => row[i], cancellationToken)
            .ConfigureAwait(false);
        return Ids;
    }

    // ---- The session temp tables' statements (also what the golden files and the T-SQL parse test read) ----

    /// <summary>The page's stage: layout columns, keyed by Id (rows are de-duplicated).</summary>
    internal string CreateStage(TableLayout layout) => CreateTemp(StageTable, string.Join(", ", layout.Columns.Select(c =>
        $"{Quote(c.Name, "column", layout.EntityName)} {TypeName(c, layout.Options.Compatibility)}{(c.Name == SyncColumns.Id ? " NOT NULL PRIMARY KEY" : " NULL")}")));

    internal static string Stage => TempName(StageTable);

    /// <summary>Ids of a bulk-loaded page, to find out before copying whether any already exist.</summary>
    internal string CreateKeys() => CreateTemp(KeysTable, $"{Quote(SyncColumns.Id)} uniqueidentifier NOT NULL PRIMARY KEY");

    internal string AnyKeyExists(string qualified) =>
        $"SELECT CASE WHEN EXISTS (SELECT 1 FROM {qualified} AS t INNER JOIN {TempName(KeysTable)} AS k ON k.{Quote(SyncColumns.Id)} = t.{Quote(SyncColumns.Id)}) THEN 1 ELSE 0 END;";

    /// <summary>A list of ids with their position, so the DeleteLog keeps page order.</summary>
    internal string CreateIds() => CreateTemp(IdsTable, $"{Quote("Seq")} int NOT NULL, {Quote(SyncColumns.Id)} uniqueidentifier NOT NULL PRIMARY KEY");

    /// <summary>The staged id list as statements use it.</summary>
    internal IdList Ids => new(
        $"IN (SELECT {Quote(SyncColumns.Id)} FROM {TempName(IdsTable)})", $"{TempName(IdsTable)} AS d", "d." + Quote(SyncColumns.Id),
        $"LOWER(CONVERT(nvarchar(36), d.{Quote(SyncColumns.Id)}))", $"d.{Quote("Seq")}", 0, () => []);

    /// <summary>See <see cref="SqlServerDependents"/>: schema-bound views and masks are kept, other views refreshed; what cannot be blocks.</summary>
    public override Task<Dependents> DependentsAsync(SqlSession session, TableLayout layout, IReadOnlyList<ColumnAlteration> alterations, CancellationToken cancellationToken)
    {
        var entity = layout.EntityName;
        var view = LabelViews.ViewName(layout);
        return SqlServerDependents.ReadAsync(session, Table(layout.TableName, entity), Fits(view) ? Table(view, entity) : null, alterations, cancellationToken);
    }

    /// <summary>sp_rename's column form; the names are validated identifiers, so literals are safe.</summary>
    public override string RenameColumn(string qualified, string quotedColumn, string newName) =>
        $"EXEC sp_rename N'{qualified}.{quotedColumn}', {Literal(newName)}, N'COLUMN';";

    // ---- Reconciliation key stage (lives as long as the session) ----

    public override string KeyStage => TempName(KeyStageTable);

    /// <summary>The clustered key makes the NOT EXISTS / JOIN arms merge joins; IGNORE_DUP_KEY absorbs an id read twice.</summary>
    public override IReadOnlyList<string> CreateKeyStage() =>
        [CreateTemp(KeyStageTable, $"{Quote("Id")} uniqueidentifier NOT NULL, {Quote("Version")} bigint NOT NULL, PRIMARY KEY CLUSTERED ({Quote("Id")}) WITH (IGNORE_DUP_KEY = ON)")];

    public override string DropKeyStage => DropTemp(KeyStageTable);

    public override Task AddKeysAsync(DbConnection connection, IReadOnlyList<RowKey> keys, CancellationToken cancellationToken)
    {
        var rows = keys.Select(k => new object?[] { k.Id, k.Version }).ToList();
        return SqlServerBulkWriter.WriteAsync((SqlConnection)connection, null, KeyStage, ["Id", "Version"], rows, static (row, i) => row[i], cancellationToken);
    }

    private static (SqlConnection Connection, SqlTransaction? Transaction) Sql(SqlSession session) =>
        ((SqlConnection)session.Connection, (SqlTransaction?)session.Transaction);

    private static string TempName(string table) => "[" + table + "]";

    private static string DropTemp(string table) => $"IF OBJECT_ID(N'tempdb..{table}') IS NOT NULL DROP TABLE {TempName(table)};";

    /// <summary>A session temp table, dropped first if an earlier page's is still there (pooled connections keep them until reset).</summary>
    private static string CreateTemp(string table, string columns) => $"{DropTemp(table)}\nCREATE TABLE {TempName(table)} ({columns});";
}
