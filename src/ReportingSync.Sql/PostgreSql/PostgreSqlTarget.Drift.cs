using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>Schema drift: the table as the database has it, and in-place add / widen / drop.</summary>
internal sealed partial class PostgreSqlTarget
{
    public Task<IReadOnlyList<TargetColumn>?> GetTableColumnsAsync(string tableName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var qualified = QualifiedTable(tableName, null);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ColumnsAsync(connection, qualified, cancellationToken);
    });

    /// <summary>
    /// One transaction under the DDL lock: each step is checked against the column as it is now (steps already done are
    /// skipped; steps that would lose data are refused before anything runs), the label view is dropped because
    /// PostgreSQL refuses to change or drop a column a view uses, the steps run, and the view is recreated.
    /// </summary>
    public Task AlterTableAsync(TableLayout layout, IReadOnlyList<ColumnChange> changes, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(changes);
        var table = layout.TableName;
        var qualified = QualifiedTable(table, layout);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockDdlAsync(connection, cancellationToken);
        var current = await ColumnsAsync(connection, qualified, cancellationToken)
                      ?? throw new InvalidOperationException($"The table '{table}' does not exist; nothing was altered.");
        var statements = new List<string>();
        foreach (var change in changes)
        {
            var existing = current.FirstOrDefault(c => c.Name == change.Column.Name);
            if (!ColumnWidening.NeedsDdl(table, existing, change))
            {
                continue;
            }

            statements.Add(change.Kind switch
            {
                ColumnChangeKind.Add => _schema.AddColumn(table, change.Column, layout.EntityName),
                ColumnChangeKind.Widen => _schema.WidenColumn(table, change.Column, layout.EntityName),
                _ => _schema.DropColumn(table, change.Column.Name, layout.EntityName),
            });
        }

        if (statements.Count > 0)
        {
            await ExecuteAsync(connection, _schema.DropLabelView(layout), cancellationToken);
            foreach (var statement in statements)
            {
                await ExecuteAsync(connection, statement, cancellationToken);
            }

            await RefreshLabelViewAsync(connection, layout, labels: null, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (statements.Count > 0)
        {
            _logger.TableAltered(table, string.Join("; ", changes.Select(c => $"{c.Kind} {c.Column.Name}")));
        }

        return 0;
    });
}
