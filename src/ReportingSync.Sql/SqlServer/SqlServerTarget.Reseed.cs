using Microsoft.Data.SqlClient;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>Re-seeds: the shadow table (<see cref="TableLayout.ShadowTableName"/>) and its swap with the live table.</summary>
internal sealed partial class SqlServerTarget
{
    public Task CreateShadowTableAsync(TableLayout layout, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        QualifiedTable(layout.ShadowTableName, layout);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction, _schema.DropTable(layout.ShadowTableName, layout.EntityName), cancellationToken);
        await ExecuteAsync(connection, transaction, _schema.CreateTable(layout, layout.ShadowTableName), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _logger.ShadowCreated(layout.ShadowTableName, layout.Columns.Count);
        return 0;
    });

    public Task DropShadowTableAsync(TableLayout layout, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        QualifiedTable(layout.ShadowTableName, layout);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction, _schema.DropTable(layout.ShadowTableName, layout.EntityName), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _logger.ShadowDropped(layout.ShadowTableName);
        return 0;
    });

    /// <summary>
    /// One transaction with XACT_ABORT ON, under the DDL app lock: compare-and-set the state (fenced by
    /// <paramref name="state"/>'s lease owner when it has one), drop the label view and the live table, <c>sp_rename</c>
    /// the shadow table to the live name and its primary key to <c>PK_&lt;live&gt;</c> (sp_rename takes a constraint as
    /// schema.constraint with type OBJECT, and renames its index with it), recreate the view. DROP and sp_rename take
    /// schema-modification locks, so readers wait for the commit and then read the new table.
    /// </summary>
    public Task SwapShadowTableAsync(
        TableLayout layout, EntityState state, SyncCursor? expectedCursor, SyncCursor? expectedShadowCursor, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(state);
        QualifiedTable(layout.TableName, layout);
        var shadow = QualifiedTable(layout.ShadowTableName, layout);
        var liveKey = SqlServerSchemaWriter.PrimaryKeyName(layout.TableName, layout.EntityName);
        var now = _time.GetUtcNow().UtcDateTime;
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        if (!await _state.CompareAndSetAsync(connection, transaction, expectedCursor, expectedShadowCursor, state.LeaseOwner, now, state, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            throw await ConflictAsync(connection, state.EntityName, state.LeaseOwner, now, cancellationToken);
        }

        var shadowKey = await PrimaryKeyNameAsync(connection, transaction, shadow, cancellationToken)
                        ?? throw new InvalidOperationException($"The shadow table '{layout.ShadowTableName}' does not exist (or has no primary key); nothing was swapped.");
        await ExecuteAsync(connection, transaction, _schema.DropLabelView(layout), cancellationToken);
        await ExecuteAsync(connection, transaction, _schema.DropTable(layout.TableName, layout.EntityName), cancellationToken);
        await RenameAsync(connection, transaction, shadow, layout.TableName, cancellationToken);
        if (shadowKey != liveKey)
        {
            await RenameAsync(connection, transaction, SqlServerIdentifier.Qualify(_schema.Schema, shadowKey, "primary key", layout.EntityName), liveKey, cancellationToken);
        }

        await RefreshLabelViewAsync(connection, transaction, layout, labels: null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        _logger.ShadowSwapped(layout.ShadowTableName, layout.TableName);
        return 0;
    });

    /// <summary>sp_rename with the names as parameters: the current name qualified and quoted, the new one bare.</summary>
    private static async Task RenameAsync(SqlConnection connection, SqlTransaction transaction, string qualifiedFrom, string to, CancellationToken ct)
    {
        await using var command = new SqlCommand("EXEC sp_rename @objname = @from, @newname = @to, @objtype = N'OBJECT';", connection, transaction);
        command.Parameters.Add(SqlServerValues.Parameter("@from", ColumnStorageType.String, qualifiedFrom, 776 / 2));
        command.Parameters.Add(SqlServerValues.Parameter("@to", ColumnStorageType.String, to, SqlServerIdentifier.MaxLength));
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<string?> PrimaryKeyNameAsync(SqlConnection connection, SqlTransaction transaction, string qualifiedTable, CancellationToken ct)
    {
        await using var command = new SqlCommand(
            "SELECT name FROM sys.key_constraints WHERE parent_object_id = OBJECT_ID(@table, N'U') AND type = 'PK';", connection, transaction);
        command.Parameters.Add(SqlServerValues.Parameter("@table", ColumnStorageType.String, qualifiedTable, 4000));
        return await command.ExecuteScalarAsync(ct) as string;
    }
}
