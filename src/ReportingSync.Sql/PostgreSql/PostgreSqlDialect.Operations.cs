using System.Data.Common;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>PostgreSQL on a connection: the advisory DDL lock, the catalog (columns, what depends on a table), COPY, savepoints, the key stage.</summary>
internal sealed partial class PostgreSqlDialect
{
    /// <summary>pg_advisory_xact_lock key that serialises our DDL across workers.</summary>
    private const long DdlLockKey = 0x5253_5F44_444C_0001;

    /// <summary>Session temp table each upsert stages its page in; dropped when the transaction ends.</summary>
    private const string StageTable = "reportingsync_stage";

    private const string BulkLoadSavepoint = "bulk_load";

    protected override async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>A transaction-scoped advisory lock, released at commit or rollback.</summary>
    protected override string LockDdl => $"SELECT pg_advisory_xact_lock({DdlLockKey.ToString(System.Globalization.CultureInfo.InvariantCulture)});";

    /// <summary>The columns with their type as <c>format_type</c> spells it; runs in the caller's transaction.</summary>
    public override async Task<IReadOnlyList<TargetColumn>?> ColumnsAsync(SqlSession session, string qualified, string name, CancellationToken cancellationToken)
    {
        await using var command = session.Command(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a " +
            "WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum;",
            PostgreSqlValues.Parameter("table", ColumnStorageType.String, qualified));
        var columns = await SqlSession.ReadAllAsync(command, r =>
        {
            var type = r.GetString(1);
            var (storage, maxLength, precision) = ParseType(type);
            return new TargetColumn(r.GetString(0), storage, maxLength, precision, type);
        }, cancellationToken).ConfigureAwait(false);
        return columns.Count > 0 || await session.ScalarAsync("SELECT to_regclass(@table) IS NOT NULL;", cancellationToken,
            PostgreSqlValues.Parameter("table", ColumnStorageType.String, qualified)).ConfigureAwait(false) is true
            ? columns
            : null;
    }

    public override async Task EnsureSchemasAsync(SqlSession session, CancellationToken cancellationToken)
    {
        foreach (var name in new[] { Schema, StateSchema }.Distinct())
        {
            if (await session.ScalarAsync("SELECT 1 FROM pg_namespace WHERE nspname = @name;", cancellationToken,
                    PostgreSqlValues.Parameter("name", ColumnStorageType.String, name)).ConfigureAwait(false) is null)
            {
                await session.ExecuteAsync($"CREATE SCHEMA IF NOT EXISTS {Quote(name, "schema")};", cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>COPY straight into the table inside a savepoint; a duplicate key rolls the savepoint back and says so (null).</summary>
    public override async Task<long?> TryBulkLoadAsync(
        SqlSession session, TableLayout layout, string table, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken cancellationToken)
    {
        var transaction = session.Transaction!;
        await transaction.SaveAsync(BulkLoadSavepoint, cancellationToken).ConfigureAwait(false);
        try
        {
            var copied = await CopyAsync(session, qualified, layout, table, rows, now, cancellationToken).ConfigureAwait(false);
            await transaction.ReleaseAsync(BulkLoadSavepoint, cancellationToken).ConfigureAwait(false);
            return copied;
        }
        catch (PostgresException ex) when (ex.SqlState == PostgreSqlErrors.UniqueViolation)
        {
            await transaction.RollbackAsync(BulkLoadSavepoint, cancellationToken).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>COPY into a temp stage, then one guarded INSERT ... ON CONFLICT from it.</summary>
    public override async Task<long> UpsertRowsAsync(
        SqlSession session, TableLayout layout, string table, string qualified, IReadOnlyList<object?[]> rows, DateTime now, CancellationToken cancellationToken)
    {
        var stage = Quote(StageTable, "table");
        var create = new StringBuilder("CREATE TEMP TABLE ").Append(stage).Append(" (")
            .AppendJoin(", ", layout.Columns.Select(c => $"{Quote(c.Name, "column", layout.EntityName)} {TypeName(c, layout.Options.Compatibility)}"))
            .Append(") ON COMMIT DROP;");
        await session.ExecuteAsync(create.ToString(), cancellationToken).ConfigureAwait(false);
        await CopyAsync(session, stage, layout, table, rows, sinkTime: null, cancellationToken).ConfigureAwait(false);
        return await session.ExecuteAsync(new EntitySql(this).Upsert(layout, qualified, stage), cancellationToken,
            Parameter(EntitySql.Now, ColumnStorageType.DateTime, now)).ConfigureAwait(false);
    }

    private static async Task<long> CopyAsync(
        SqlSession session, string qualifiedTarget, TableLayout layout, string table, IReadOnlyList<object?[]> rows, DateTime? sinkTime, CancellationToken ct)
    {
        await using var writer = await PostgreSqlBulkWriter.BeginAsync((NpgsqlConnection)session.Connection, qualifiedTarget, layout, table, sinkTime, ct).ConfigureAwait(false);
        try
        {
            await writer.WriteAsync(rows, ct).ConfigureAwait(false);
            return await writer.CompleteAsync(ct).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (PostgreSqlErrors.TryRowRejected(ex, table, writer.WrittenIds()) is { } rejected)
        {
            throw rejected;
        }
    }

    public override Task<IdList> StageIdsAsync(SqlSession session, IReadOnlyList<Guid> ids, CancellationToken cancellationToken)
    {
        var array = ids.ToArray();
        return Task.FromResult(new IdList(
            "= ANY(@ids)", "unnest(@ids) WITH ORDINALITY AS d(id, seq)", "d.id", "d.id::text", "d.seq", 1,
            () => [PostgreSqlValues.Parameter("ids", NpgsqlDbType.Array | NpgsqlDbType.Uuid, array)]));
    }

    /// <summary>See <see cref="PostgreSqlDependents"/>: views on the altered columns and on the label view are kept; what cannot be blocks.</summary>
    public override Task<Dependents> DependentsAsync(SqlSession session, TableLayout layout, IReadOnlyList<ColumnAlteration> alterations, CancellationToken cancellationToken)
    {
        var entity = layout.EntityName;
        var view = LabelViews.ViewName(layout);
        return PostgreSqlDependents.ReadAsync(
            session, Table(layout.TableName, entity), Fits(view) ? Table(view, entity) : null, [.. alterations.Select(a => a.Name)], cancellationToken);
    }

    // ---- Reconciliation key stage (pg_temp: invisible to other sessions, gone with the connection) ----

    public override string KeyStage => Quote("reportingsync_recon_keys", "table");

    public override IReadOnlyList<string> CreateKeyStage() =>
        [$"CREATE TEMP TABLE IF NOT EXISTS {KeyStage} ({Quote("Id")} uuid NOT NULL, {Quote("Version")} bigint NOT NULL);", $"TRUNCATE {KeyStage};"];

    /// <summary>Fresh statistics on the stage so the planner picks hash joins for a million keys, not nested loops.</summary>
    public override string? PrepareCompare => $"ANALYZE {KeyStage};";

    public override async Task AddKeysAsync(DbConnection connection, IReadOnlyList<RowKey> keys, CancellationToken cancellationToken)
    {
        await using var importer = await ((NpgsqlConnection)connection).BeginBinaryImportAsync(
            $"COPY {KeyStage} ({Quote("Id")}, {Quote("Version")}) FROM STDIN (FORMAT BINARY)", cancellationToken).ConfigureAwait(false);
        foreach (var key in keys)
        {
            await importer.StartRowAsync(cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(key.Id, NpgsqlDbType.Uuid, cancellationToken).ConfigureAwait(false);
            await importer.WriteAsync(key.Version, NpgsqlDbType.Bigint, cancellationToken).ConfigureAwait(false);
        }

        await importer.CompleteAsync(cancellationToken).ConfigureAwait(false);
    }
}
