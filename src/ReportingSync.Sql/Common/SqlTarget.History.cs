using System.Globalization;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// History mode (<see cref="LayoutOptions.History"/>): the history table follows the live table's columns, a re-seed's
/// swap records what it changes, old closed versions are pruned, and reconciliation checks the chain. The page's own
/// versions are recorded by <see cref="PageCommitter"/>.
/// </summary>
internal sealed partial class SqlTarget
{
    public async Task<int> PruneHistoryAsync(TableLayout layout, DateTime closedBefore, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Qualify(layout.HistoryTableName, layout);
        var total = 0;
        while (true)
        {
            // One small transaction per batch: readers and the page commits never wait long behind a prune.
            var pruned = await WriteAsync(lockDdl: false, session => session.ExecuteAsync(_history.Prune(layout), cancellationToken,
                _dialect.Parameter("@cutoff", ColumnStorageType.DateTime, closedBefore),
                _dialect.Parameter("@limit", ColumnStorageType.Int32, HistorySql.PruneBatch)), cancellationToken).ConfigureAwait(false);
            total += pruned;
            if (pruned < HistorySql.PruneBatch)
            {
                return total;
            }
        }
    }

    public async Task<HistoryCheck> CheckHistoryAsync(TableLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var live = Qualify(layout.TableName, layout);
        Qualify(layout.HistoryTableName, layout);
        var sql = _history.Check(layout, live);
        return await ReadAsync(async session =>
        {
            await using var command = session.Command(sql);
            var rows = await SqlSession.ReadAllAsync(command, r => new HistoryCheck(
                Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture),
                Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture),
                Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture)), cancellationToken).ConfigureAwait(false);
            return rows[0];
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings the history table in line with <paramref name="layout"/> inside the caller's transaction: created when
    /// missing (with the live table's rows as their first versions when the table already holds rows), new columns
    /// added (NULL on older versions), columns widened in place. A column whose type changed keeps its old values under
    /// a new name (<c>&lt;column&gt;__before_&lt;utc time&gt;</c>) and comes back with the new type. Columns the live table
    /// drops stay: older versions hold values. Types change only with <paramref name="retype"/> (a swap): before it, the
    /// live table still has the old type and so do its versions.
    /// </summary>
    private async Task AlignHistoryAsync(SqlSession session, TableLayout layout, CancellationToken ct, bool retype = false)
    {
        if (!layout.Options.History)
        {
            return;
        }

        var qualified = Qualify(layout.HistoryTableName, layout);
        var current = await _dialect.ColumnsAsync(session, qualified, layout.HistoryTableName, ct).ConfigureAwait(false);
        if (current is null)
        {
            await session.ExecuteAsync(_history.CreateTable(layout), ct).ConfigureAwait(false);
            var live = _dialect.Table(layout.TableName, layout.EntityName);
            if (await _dialect.ColumnsAsync(session, live, layout.TableName, ct).ConfigureAwait(false) is not null)
            {
                await RecordHistoryAsync(session, layout, live, ct).ConfigureAwait(false);
            }

            _logger.HistoryTableCreated(layout.HistoryTableName);
            return;
        }

        foreach (var column in layout.Columns.Where(c => c.Role is not ColumnRole.PrimaryId and not ColumnRole.Version))
        {
            var existing = current.FirstOrDefault(c => c.Name == column.Name);
            if (retype && existing is not null && existing.Type != column.Type && !(existing.Type, column.Type).Equals((ColumnStorageType.Int32, ColumnStorageType.Int64)))
            {
                var kept = KeptName(column.Name);
                await session.ExecuteAsync(_dialect.RenameColumn(qualified, _dialect.Quote(column.Name, "column", layout.EntityName), Validated(kept, layout)), ct)
                    .ConfigureAwait(false);
                _logger.HistoryColumnKept(layout.HistoryTableName, column.Name, kept);
                existing = null;
            }

            if (existing is null)
            {
                await session.ExecuteAsync(_ddl.AddColumn(layout.HistoryTableName, column, layout), ct).ConfigureAwait(false);
            }
        }

        if (_dialect.LengthsEnforced)
        {
            foreach (var widen in ColumnWidening.InPlace(layout, current))
            {
                if (_ddl.WidenColumn(layout.HistoryTableName, widen.Column, layout) is { } statement)
                {
                    await session.ExecuteAsync(statement, ct).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Whether the history table is missing or lacks a column of the layout (read outside any transaction).</summary>
    private async Task<bool> HistoryBehindAsync(TableLayout layout, CancellationToken ct)
    {
        var qualified = Qualify(layout.HistoryTableName, layout);
        var current = await ReadAsync(session => _dialect.ColumnsAsync(session, qualified, layout.HistoryTableName, ct), ct).ConfigureAwait(false);
        return current is null || layout.Columns.Any(c => current.All(h => h.Name != c.Name));
    }

    /// <summary>Records <paramref name="from"/>'s versions for every id (a swap, or a history table new beside a full table).</summary>
    private async Task RecordHistoryAsync(SqlSession session, TableLayout layout, string from, CancellationToken ct)
    {
        foreach (var statement in _history.Record(layout, from, ids: null))
        {
            await session.ExecuteAsync(statement, ct, _dialect.Parameter(EntitySql.Now, ColumnStorageType.DateTime, _time.GetUtcNow().UtcDateTime))
                .ConfigureAwait(false);
        }
    }

    private string Validated(string column, TableLayout layout)
    {
        _dialect.Quote(column, "column", layout.EntityName);
        return column;
    }

    private string KeptName(string column)
    {
        var suffix = "__before_" + _time.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        return column[..Math.Min(column.Length, _dialect.MaxIdentifierLength - suffix.Length)] + suffix;
    }
}
