using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>Schema drift: the table as the database has it, and in-place add / widen / drop.</summary>
internal sealed partial class SqliteTarget
{
    public Task<IReadOnlyList<TargetColumn>?> GetTableColumnsAsync(string tableName, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        var table = CheckTable(tableName, null);
        await using var connection = await OpenReaderAsync(cancellationToken);
        return Columns(connection, null, table);
    });

    /// <summary>
    /// In the writer's transaction: Add is <c>ALTER TABLE ADD COLUMN</c>; Drop is <c>ALTER TABLE DROP COLUMN</c> (SQLite
    /// 3.35+); Widen changes nothing, because SQLite's declared types do not constrain values: text has no length limit,
    /// decimals are stored as exact text, and every integer is stored in up to 8 bytes. The declared type therefore keeps
    /// its old length/precision and <see cref="GetTableColumnsAsync"/> reports it, so a planner may ask to widen again;
    /// that is harmless. Steps that would lose data are still refused, as on the other databases. The label view is
    /// dropped first (DROP COLUMN refuses a column a view uses) and recreated after.
    /// </summary>
    public Task AlterTableAsync(TableLayout layout, IReadOnlyList<ColumnChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(changes);
        var table = CheckTable(layout.TableName, layout);
        return WriteAsync(connection =>
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var current = Columns(connection, transaction, table)
                          ?? throw new InvalidOperationException($"The table '{table}' does not exist; nothing was altered.");
            var statements = new List<string>();
            foreach (var change in changes)
            {
                if (!ColumnWidening.NeedsDdl(table, current.FirstOrDefault(c => c.Name == change.Column.Name), change, lengthsEnforced: false))
                {
                    continue;
                }

                switch (change.Kind)
                {
                    case ColumnChangeKind.Add:
                        statements.Add(SqliteSchemaWriter.AddColumn(table, change.Column, layout.EntityName));
                        break;
                    case ColumnChangeKind.Drop:
                        statements.Add(SqliteSchemaWriter.DropColumn(table, change.Column.Name, layout.EntityName));
                        break;
                }
            }

            if (statements.Count > 0)
            {
                Execute(connection, transaction, SqliteSchemaWriter.DropLabelView(layout));
                foreach (var statement in statements)
                {
                    Execute(connection, transaction, statement);
                }

                RefreshLabelView(connection, transaction, layout, labels: null);
            }

            transaction.Commit();
            if (statements.Count > 0)
            {
                _logger.TableAltered(table, string.Join("; ", changes.Select(c => $"{c.Kind} {c.Column.Name}")));
            }

            return 0;
        }, cancellationToken);
    }
}
