using Npgsql;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>Re-seeds: the shadow table (<see cref="TableLayout.ShadowTableName"/>) and its swap with the live table.</summary>
internal sealed partial class PostgreSqlTarget
{
    public Task CreateShadowTableAsync(TableLayout layout, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        QualifiedTable(layout.ShadowTableName, layout);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockDdlAsync(connection, cancellationToken);
        await ExecuteAsync(connection, _schema.DropTable(layout.ShadowTableName, layout.EntityName), cancellationToken);
        await ExecuteAsync(connection, _schema.CreateTable(layout, layout.ShadowTableName), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _logger.ShadowCreated(layout.ShadowTableName, layout.Columns.Count);
        return 0;
    });

    public Task DropShadowTableAsync(TableLayout layout, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        QualifiedTable(layout.ShadowTableName, layout);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockDdlAsync(connection, cancellationToken);
        await ExecuteAsync(connection, _schema.DropTable(layout.ShadowTableName, layout.EntityName), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _logger.ShadowDropped(layout.ShadowTableName);
        return 0;
    });

    /// <summary>
    /// One transaction: compare-and-set the state (fenced by <paramref name="state"/>'s lease owner when it has one),
    /// drop the label view and the live table, rename the shadow table to the live name and its primary key to the
    /// name the live table's key had (so the next re-seed can create the shadow again without a name clash), recreate
    /// the label view. DROP and RENAME take ACCESS EXCLUSIVE locks: a reader that arrives meanwhile waits and, once the
    /// transaction commits, resolves the table name again and reads the new table; no reader sees a missing or empty table.
    /// </summary>
    public Task SwapShadowTableAsync(
        TableLayout layout, EntityState state, SyncCursor? expectedCursor, SyncCursor? expectedShadowCursor, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(state);
        var live = QualifiedTable(layout.TableName, layout);
        var shadow = QualifiedTable(layout.ShadowTableName, layout);
        var now = _time.GetUtcNow().UtcDateTime;
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockDdlAsync(connection, cancellationToken);
        if (!await _state.CompareAndSetAsync(connection, expectedCursor, expectedShadowCursor, state.LeaseOwner, now, state, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            throw await ConflictAsync(connection, state.EntityName, state.LeaseOwner, now, cancellationToken);
        }

        var shadowKey = await PrimaryKeyNameAsync(connection, shadow, cancellationToken)
                        ?? throw new InvalidOperationException($"The shadow table '{layout.ShadowTableName}' does not exist (or has no primary key); nothing was swapped.");
        var liveKey = await PrimaryKeyNameAsync(connection, live, cancellationToken) ?? DefaultKeyName(layout.TableName);
        await ExecuteAsync(connection, _schema.DropLabelView(layout), cancellationToken);
        await ExecuteAsync(connection, _schema.DropTable(layout.TableName, layout.EntityName), cancellationToken);
        await ExecuteAsync(connection, _schema.RenameTable(layout.ShadowTableName, layout.TableName, layout.EntityName), cancellationToken);
        if (liveKey is not null && liveKey != shadowKey)
        {
            await ExecuteAsync(connection, _schema.RenameConstraint(layout.TableName, shadowKey, liveKey, layout.EntityName), cancellationToken);
        }

        await RefreshLabelViewAsync(connection, layout, labels: null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _logger.ShadowSwapped(layout.ShadowTableName, layout.TableName);
        return 0;
    });

    private static async Task<string?> PrimaryKeyNameAsync(NpgsqlConnection connection, string qualifiedTable, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand("SELECT conname FROM pg_constraint WHERE conrelid = to_regclass(@table) AND contype = 'p';", connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("table", ColumnStorageType.String, qualifiedTable));
        return await command.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>PostgreSQL's own name for an unnamed primary key, when it fits in an identifier.</summary>
    private static string? DefaultKeyName(string table) =>
        table.Length + 5 <= PostgreSqlIdentifier.MaxBytes ? table + "_pkey" : null;
}
