using Microsoft.Data.Sqlite;
using ReportingSync.Model;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// Writes a page's rows through one prepared single-row statement (<see cref="EntitySql.Insert"/> or the guarded
/// <see cref="EntitySql.Upsert"/>) re-run per row. Mirrors Npgsql's importer: the writer opens a savepoint and only
/// <see cref="Complete"/> keeps its rows; disposing without it rolls them back, so a failed row leaves nothing of the page
/// behind. Rows arrive screened (<see cref="RowScreen"/>): values a column cannot hold went to the quarantine table instead.
/// </summary>
internal sealed class SqliteBulkWriter : IDisposable
{
    private const string Savepoint = "bulk_write";

    private readonly SqliteTransaction _transaction;
    private readonly SqliteCommand _command;
    private readonly SqliteParameter[] _values;
    private readonly TableLayout _layout;
    private readonly string _table;
    private long _changes;
    private bool _completed;

    private SqliteBulkWriter(SqliteConnection connection, SqliteTransaction transaction, string sql, TableLayout layout, string table, string now)
    {
        _transaction = transaction;
        _layout = layout;
        _table = table;
        transaction.Save(Savepoint);
        _command = new SqliteCommand(sql, connection, transaction);
        _values = new SqliteParameter[layout.Columns.Count];
        for (var i = 0; i < _values.Length; i++)
        {
            _values[i] = _command.Parameters.Add(EntitySql.ValueParameter(i), SqliteValues.DbType(layout.Columns[i].Type));
        }

        _command.Parameters.AddWithValue(EntitySql.Now, now);
        _command.Prepare();
    }

    /// <param name="sql">A single-row statement over <see cref="EntitySql.ValueParameter"/>s and <see cref="EntitySql.Now"/>.</param>
    public static SqliteBulkWriter Begin(SqlSession session, string sql, TableLayout layout, string table, DateTime now) =>
        new((SqliteConnection)session.Connection, (SqliteTransaction)session.Transaction!, sql, layout, table, SqliteValues.FormatDateTime(now));

    public void Write(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        for (var r = 0; r < rows.Count; r++)
        {
            // SQLite work is synchronous; checking now and then keeps a cancelled shutdown from waiting for a page.
            if ((r & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var row = rows[r];
            for (var i = 0; i < _values.Length; i++)
            {
                var column = _layout.Columns[i];
                var value = row[i];
                _values[i].Value = SqliteValues.ToDb(value, column.Type)
                    ?? throw Reject(column, row, ValueChecks.WrongType(value!, column.Type));
            }

            _changes += _command.ExecuteNonQuery();
        }
    }

    /// <summary>Keeps the rows (releases the savepoint into the page's transaction); returns the rows inserted or updated.</summary>
    public long Complete()
    {
        _transaction.Release(Savepoint);
        _completed = true;
        return _changes;
    }

    public void Dispose()
    {
        _command.Dispose();
        if (_completed || _transaction.Connection is null)
        {
            return;
        }

        try
        {
            _transaction.Rollback(Savepoint);
            _transaction.Release(Savepoint);
        }
        catch (SqliteException)
        {
            // Some errors (I/O, disk full) make SQLite roll back the whole transaction, taking the savepoint with
            // it. The page's transaction is rolled back by its owner anyway; the original error is the one to see.
        }
    }

    private RowRejectedException Reject(TableColumn column, object?[] row, string reason) =>
        new(_table, column.Name, PageRows.TryGetId(row, _layout), reason);
}
