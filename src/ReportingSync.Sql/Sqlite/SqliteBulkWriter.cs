using System.Globalization;
using Microsoft.Data.Sqlite;
using ReportingSync.Model;
using SQLitePCL;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// Writes a page's rows through one statement (<see cref="EntitySql.Insert"/> or the guarded <see cref="EntitySql.Upsert"/>)
/// prepared once per page and re-run per row. Mirrors Npgsql's importer: the writer opens a savepoint and only
/// <see cref="Complete"/> keeps its rows; disposing without it rolls them back, so a failed row leaves nothing of the page
/// behind. Rows arrive screened (<see cref="RowScreen"/>): values a column cannot hold went to the quarantine table instead.
/// <para>
/// The statement is prepared and bound through SQLitePCLRaw, the binding Microsoft.Data.Sqlite itself runs on, on the
/// same connection and transaction: <see cref="SqliteParameter.Value"/> is an object, so every cell of a seed was boxed
/// and then type-switched again inside the provider. Here a columnar page's cells are bound typed (integers and reals as
/// themselves, text as the UTF-8 bytes it was decoded to, GUIDs and dates formatted into a stack buffer), in the same
/// storage forms <see cref="SqliteValues.ToDb"/> gives rows built as objects. Errors surface as the provider's
/// <see cref="SqliteException"/>, extended code included.
/// </para>
/// </summary>
internal sealed class SqliteBulkWriter : IDisposable
{
    private const string Savepoint = "bulk_write";

    private readonly SqliteTransaction _transaction;
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _parameters;
    private readonly TableLayout _layout;
    private readonly string _table;
    private long _changes;
    private bool _completed;

    private SqliteBulkWriter(SqliteConnection connection, SqliteTransaction transaction, string sql, TableLayout layout, string table, string now)
    {
        _transaction = transaction;
        _layout = layout;
        _table = table;
        _db = connection.Handle!;
        transaction.Save(Savepoint);
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
        _parameters = new int[layout.Columns.Count];
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i] = raw.sqlite3_bind_parameter_index(_statement, EntitySql.ValueParameter(i));
        }

        Check(raw.sqlite3_bind_text(_statement, raw.sqlite3_bind_parameter_index(_statement, EntitySql.Now), now));
    }

    /// <param name="sql">A single-row statement over <see cref="EntitySql.ValueParameter"/>s and <see cref="EntitySql.Now"/>.</param>
    public static SqliteBulkWriter Begin(SqlSession session, string sql, TableLayout layout, string table, DateTime now) =>
        new((SqliteConnection)session.Connection, (SqliteTransaction)session.Transaction!, sql, layout, table, SqliteValues.FormatDateTime(now));

    public void Write(IReadOnlyList<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows is SelectedRows selected)
        {
            WriteColumnar(selected, cancellationToken);
            return;
        }

        for (var r = 0; r < rows.Count; r++)
        {
            // SQLite work is synchronous; checking now and then keeps a cancelled shutdown from waiting for a page.
            if ((r & 0xFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            BindRow(rows[r]);
            var rc = raw.sqlite3_step(_statement);
            raw.sqlite3_reset(_statement);
            if (rc != raw.SQLITE_DONE)
            {
                Check(rc);
            }

            _changes += raw.sqlite3_changes(_db);
        }
    }

    /// <summary>
    /// A columnar page (the fast path), through <see cref="SqliteNative"/>: the page's text buffer stays pinned while its
    /// rows are written, so text cells are bound where they lie (SQLITE_STATIC) instead of copied by SQLite.
    /// </summary>
    private unsafe void WriteColumnar(SelectedRows rows, CancellationToken cancellationToken)
    {
        var cells = rows.Columns;
        var addedStatement = false;
        var addedDb = false;
        try
        {
            _statement.DangerousAddRef(ref addedStatement);
            _db.DangerousAddRef(ref addedDb);
            var statement = _statement.DangerousGetHandle();
            var db = _db.DangerousGetHandle();
            fixed (byte* _ = cells.AllText)
            {
                for (var r = 0; r < rows.Count; r++)
                {
                    if ((r & 0xFF) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    BindRow(statement, cells, rows.RowAt(r));
                    var rc = SqliteNative.sqlite3_step(statement);
                    SqliteNative.sqlite3_reset(statement);
                    if (rc != raw.SQLITE_DONE)
                    {
                        Check(rc);
                    }

                    _changes += SqliteNative.sqlite3_changes(db);
                }
            }
        }
        finally
        {
            if (addedDb)
            {
                _db.DangerousRelease();
            }

            if (addedStatement)
            {
                _statement.DangerousRelease();
            }
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
        _statement.Dispose();
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

    /// <summary>
    /// A columnar row, typed: integers and reals as themselves, text as the UTF-8 bytes it was decoded to (inside the
    /// pinned page buffer), GUIDs and dates formatted into a stack buffer that SQLite copies.
    /// </summary>
    private unsafe void BindRow(IntPtr statement, ColumnarRows cells, int row)
    {
        Span<byte> text = stackalloc byte[64];
        for (var c = 0; c < _parameters.Length; c++)
        {
            var parameter = _parameters[c];
            if (cells.IsNull(row, c))
            {
                Check(SqliteNative.sqlite3_bind_null(statement, parameter));
                continue;
            }

            var written = 0;
            var rc = cells.TypeOf(c) switch
            {
                ColumnStorageType.String => BindText(statement, parameter, cells.GetUtf8(row, c), SqliteNative.Static),
                ColumnStorageType.Int32 => SqliteNative.sqlite3_bind_int64(statement, parameter, cells.GetInt32(row, c)),
                ColumnStorageType.Int64 => SqliteNative.sqlite3_bind_int64(statement, parameter, cells.GetInt64(row, c)),
                ColumnStorageType.Boolean => SqliteNative.sqlite3_bind_int64(statement, parameter, cells.GetBoolean(row, c) ? 1 : 0),
                ColumnStorageType.Double => SqliteNative.sqlite3_bind_double(statement, parameter, cells.GetDouble(row, c)),
                ColumnStorageType.Guid when cells.GetGuid(row, c).TryFormat(text, out written, "D") =>
                    BindText(statement, parameter, text[..written], SqliteNative.Transient),
                ColumnStorageType.Decimal when cells.GetDecimal(row, c).TryFormat(text, out written, default, CultureInfo.InvariantCulture) =>
                    BindText(statement, parameter, text[..written], SqliteNative.Transient),
                ColumnStorageType.DateTime when UtcDateTime.AsUtc(cells.GetDateTime(row, c)).TryFormat(text, out written, SqliteValues.DateTimeFormat, CultureInfo.InvariantCulture) =>
                    BindText(statement, parameter, text[..written], SqliteNative.Transient),
                ColumnStorageType.Date when cells.GetDate(row, c).TryFormat(text, out written, SqliteValues.DateFormat, CultureInfo.InvariantCulture) =>
                    BindText(statement, parameter, text[..written], SqliteNative.Transient),
                var type => throw new InvalidOperationException($"Column type {type} has no SQLite form."),
            };
            Check(rc);
        }
    }

    /// <remarks>A null pointer would bind SQL NULL, so empty text points at a byte that is always there.</remarks>
    private static unsafe int BindText(IntPtr statement, int parameter, ReadOnlySpan<byte> utf8, IntPtr destructor)
    {
        fixed (byte* bytes = utf8.IsEmpty ? "\0"u8 : utf8)
        {
            return SqliteNative.sqlite3_bind_text(statement, parameter, bytes, utf8.Length, destructor);
        }
    }

    /// <summary>A row of objects, converted by <see cref="SqliteValues.ToDb"/> (the slow path).</summary>
    private void BindRow(object?[] row)
    {
        for (var c = 0; c < _parameters.Length; c++)
        {
            var column = _layout.Columns[c];
            var parameter = _parameters[c];
            var rc = SqliteValues.ToDb(row[c], column.Type) switch
            {
                DBNull => raw.sqlite3_bind_null(_statement, parameter),
                long n => raw.sqlite3_bind_int64(_statement, parameter, n),
                double x => raw.sqlite3_bind_double(_statement, parameter, x),
                string s => raw.sqlite3_bind_text(_statement, parameter, s),
                _ => throw Reject(column, row, ValueChecks.WrongType(row[c]!, column.Type)),
            };
            Check(rc);
        }
    }

    private void Check(int rc)
    {
        if (rc is not (raw.SQLITE_OK or raw.SQLITE_ROW or raw.SQLITE_DONE))
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    private RowRejectedException Reject(TableColumn column, object?[] row, string reason) =>
        new(_table, column.Name, PageRows.TryGetId(row, _layout), reason);
}
