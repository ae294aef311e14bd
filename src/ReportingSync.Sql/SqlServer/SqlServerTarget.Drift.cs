using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.SqlServer;

/// <summary>Schema drift: the table as the database has it, and in-place add / widen / drop.</summary>
internal sealed partial class SqlServerTarget
{
    public Task<IReadOnlyList<TargetColumn>?> GetTableColumnsAsync(string tableName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var qualified = QualifiedTable(tableName, null);
        await using var connection = await OpenAsync(cancellationToken);
        return await ColumnsAsync(connection, null, qualified, cancellationToken);
    });

    /// <summary>
    /// One transaction under the DDL app lock: each step is checked against the column as it is now (steps already done
    /// are skipped; steps that would lose data are refused before anything runs), then ADD / ALTER COLUMN / DROP COLUMN,
    /// and the label view is recreated over the new columns.
    /// </summary>
    public Task AlterTableAsync(TableLayout layout, IReadOnlyList<ColumnChange> changes, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(changes);
        var table = layout.TableName;
        var qualified = QualifiedTable(table, layout);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        var current = await ColumnsAsync(connection, transaction, qualified, cancellationToken)
                      ?? throw new InvalidOperationException($"The table '{table}' does not exist; nothing was altered.");
        var statements = new List<string>();
        foreach (var change in changes)
        {
            if (!ColumnWidening.NeedsDdl(table, current.FirstOrDefault(c => c.Name == change.Column.Name), change))
            {
                continue;
            }

            statements.Add(change.Kind switch
            {
                ColumnChangeKind.Add => _schema.AddColumn(table, change.Column, layout),
                ColumnChangeKind.Widen => _schema.WidenColumn(table, change.Column, layout),
                _ => _schema.DropColumn(table, change.Column.Name, layout.EntityName),
            });
        }

        if (statements.Count > 0)
        {
            await ExecuteAsync(connection, transaction, _schema.DropLabelView(layout), cancellationToken);
            foreach (var statement in statements)
            {
                await ExecuteAsync(connection, transaction, statement, cancellationToken);
            }

            await RefreshLabelViewAsync(connection, transaction, layout, labels: null, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        if (statements.Count > 0)
        {
            _logger.TableAltered(table, string.Join("; ", changes.Select(c => $"{c.Kind} {c.Column.Name}")));
        }

        return 0;
    });
}
