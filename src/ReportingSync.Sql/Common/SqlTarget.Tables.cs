using System.Runtime.CompilerServices;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary><see cref="ITableStore"/>'s entity tables: creation, drift, counting and reading; and the label views over them.</summary>
internal sealed partial class SqlTarget
{
    /// <summary>Creates the table when missing; otherwise widens the columns the layout declares wider (<see cref="ColumnWidening.InPlace"/>).</summary>
    public async Task EnsureTableAsync(TableLayout layout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var qualified = Qualify(layout.TableName, layout);
        var ddl = _ddl.CreateTable(layout);
        var existing = await ReadAsync(session => _dialect.ColumnsAsync(session, qualified, layout.TableName, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            await WriteAsync(lockDdl: true, async session =>
            {
                await session.ExecuteAsync(ddl, cancellationToken).ConfigureAwait(false);
                await AlignHistoryAsync(session, layout, cancellationToken).ConfigureAwait(false);
                await RefreshLabelViewAsync(session, layout, labels: null, cancellationToken).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
            _logger.TableCreated(layout.TableName, layout.Columns.Count);
            return;
        }

        var widen = ColumnWidening.InPlace(layout, existing);
        if (widen.Count > 0 && _dialect.LengthsEnforced)
        {
            await AlterTableAsync(layout, widen, cancellationToken).ConfigureAwait(false);
        }
        else if (layout.Options.History && await HistoryBehindAsync(layout, cancellationToken).ConfigureAwait(false))
        {
            await WriteAsync(lockDdl: true, async session =>
            {
                await AlignHistoryAsync(session, layout, cancellationToken).ConfigureAwait(false);
                return 0;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<TargetColumn>?> GetTableColumnsAsync(string tableName, CancellationToken cancellationToken)
    {
        var qualified = Qualify(tableName, null);
        return ReadAsync(session => _dialect.ColumnsAsync(session, qualified, tableName, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// One transaction under the DDL lock: each step is checked against the column as it is now (steps already done are
    /// skipped; steps that would lose data are refused before anything runs), then the steps run keeping what is built
    /// on the columns they change (<see cref="ChangeTableAsync"/>: a view blocks changing or dropping a column it uses,
    /// so views are dropped and created again around the steps, the label view with them). An object that cannot be
    /// kept refuses the whole change (<see cref="DependentObjectsException"/>). On SQLite a widening is a no-op: its
    /// declared types do not limit values (text has no length, decimals are exact text, integers 8 bytes).
    /// </summary>
    public async Task AlterTableAsync(TableLayout layout, IReadOnlyList<ColumnChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(changes);
        var table = layout.TableName;
        var qualified = Qualify(table, layout);
        var altered = await WriteAsync(lockDdl: true, async session =>
        {
            var current = await _dialect.ColumnsAsync(session, qualified, table, cancellationToken).ConfigureAwait(false)
                          ?? throw new InvalidOperationException($"The table '{table}' does not exist; nothing was altered.");
            var statements = new List<string>();
            var alterations = new List<ColumnAlteration>();
            foreach (var change in changes)
            {
                var existing = current.FirstOrDefault(c => c.Name == change.Column.Name);
                if (!ColumnWidening.NeedsDdl(table, existing, change, _dialect.LengthsEnforced))
                {
                    continue;
                }

                var statement = change.Kind switch
                {
                    ColumnChangeKind.Add => _ddl.AddColumn(table, change.Column, layout),
                    ColumnChangeKind.Widen => _ddl.WidenColumn(table, change.Column, layout),
                    _ => _ddl.DropColumn(table, change.Column.Name, layout.EntityName),
                };
                if (statement is not null)
                {
                    statements.Add(statement);
                    if (existing is not null)
                    {
                        alterations.Add(new ColumnAlteration(existing, change.Kind == ColumnChangeKind.Drop ? null : change.Column));
                    }
                }
            }

            if (statements.Count > 0)
            {
                var dependents = await KeepableDependentsAsync(session, layout, alterations, cancellationToken).ConfigureAwait(false);
                await ChangeTableAsync(session, layout, dependents, statements, labels: null, afterDdl: null, cancellationToken).ConfigureAwait(false);
            }

            await AlignHistoryAsync(session, layout, cancellationToken).ConfigureAwait(false);

            return statements.Count > 0;
        }, cancellationToken).ConfigureAwait(false);

        if (altered)
        {
            _logger.TableAltered(table, string.Join("; ", changes.Select(c => $"{c.Kind} {c.Column.Name}")));
        }
    }

    public async Task<long> CountRowsAsync(string tableName, CancellationToken cancellationToken)
    {
        var qualified = Qualify(tableName, null);
        var count = await ReadAsync(session => session.ScalarAsync(_sql.Count(qualified), cancellationToken), cancellationToken).ConfigureAwait(false);
        return Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async IAsyncEnumerable<object?[]> ReadRowsAsync(
        TableLayout layout, string? tableName, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var sql = _sql.SelectRows(Qualify(tableName ?? layout.TableName, layout), layout);
        var connection = await RunAsync(() => _connections.OpenAsync(cancellationToken)).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            await using var command = new SqlSession(connection, null).Command(sql);
            var reader = await RunAsync(() => command.ExecuteReaderAsync(cancellationToken)).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var columns = layout.Columns;
                while (await RunAsync(() => reader.ReadAsync(cancellationToken)).ConfigureAwait(false))
                {
                    var row = new object?[columns.Count];
                    for (var i = 0; i < columns.Count; i++)
                    {
                        row[i] = _dialect.Read(reader, i, columns[i].Type);
                    }

                    yield return row;
                }
            }
        }
    }

    /// <summary>
    /// Recreates the entity's label view over the live table as the database has it (so a layout that is ahead of the
    /// table, before drift is applied, cannot break it), with <paramref name="labels"/> or, when null, the label columns
    /// the stored metadata implies, keeping what is built on it and its grants and comments (<see cref="ChangeTableAsync"/>).
    /// When something built on it cannot be kept (a view of another owner on it), the view stays as it is and a warning
    /// says why: its labels catch up at the next refresh that can keep everything. Nothing when label views are off or
    /// the table does not exist yet; dropped when the entity's layout says no view (<see cref="LayoutOptions.LabelView"/>).
    /// </summary>
    private async Task RefreshLabelViewAsync(SqlSession session, TableLayout layout, IReadOnlyList<LabelColumn>? labels, CancellationToken ct)
    {
        if (!_labelViews)
        {
            return;
        }

        if (LabelViewName(layout) is null)
        {
            _logger.LabelViewSkipped(layout.EntityName, LabelViews.ViewName(layout));
            return;
        }

        var dependents = await _dialect.DependentsAsync(session, layout, [], ct).ConfigureAwait(false);
        if (dependents.Blockers.Count > 0)
        {
            _logger.LabelViewKept(LabelViews.ViewName(layout), string.Join("; ", dependents.Blockers));
            return;
        }

        await ChangeTableAsync(session, layout, dependents, [], labels, afterDdl: null, ct).ConfigureAwait(false);
    }

    /// <summary>The label view's name, or null when it is longer than the database allows (then there is none).</summary>
    private string? LabelViewName(TableLayout layout) => LabelViews.ViewName(layout) is var view && _dialect.Fits(view) ? view : null;

    /// <summary>
    /// Creates the label view (it must not exist) when label views are on and the entity wants one; returns whether it did.
    /// Its columns are the live table's as the database has them, so a layout ahead of the table cannot break it.
    /// </summary>
    private async Task<bool> CreateLabelViewAsync(SqlSession session, TableLayout layout, IReadOnlyList<LabelColumn>? labels, CancellationToken ct)
    {
        if (!_labelViews || !layout.Options.LabelView)
        {
            return false;
        }

        if (LabelViewName(layout) is not { } view)
        {
            _logger.LabelViewSkipped(layout.EntityName, LabelViews.ViewName(layout));
            return false;
        }

        var columns = await _dialect.ColumnsAsync(session, _dialect.Table(layout.TableName, layout.EntityName), layout.TableName, ct).ConfigureAwait(false);
        if (columns is null)
        {
            return false;
        }

        labels ??= await StoredLabelsAsync(session, layout, ct).ConfigureAwait(false);
        await session.ExecuteAsync(_ddl.CreateLabelView(layout, layout.TableName, columns.Select(c => c.Name).ToList(), labels), ct).ConfigureAwait(false);
        _logger.LabelViewCreated(view, labels.Count);
        return true;
    }

    /// <summary>Which of the layout's choices have local and which global option sets, by the stored metadata.</summary>
    private async Task<IReadOnlyList<LabelColumn>> StoredLabelsAsync(SqlSession session, TableLayout layout, CancellationToken ct)
    {
        var local = new HashSet<string>(StringComparer.Ordinal);
        var global = new Dictionary<string, string>(StringComparer.Ordinal);
        var picklists = LabelViews.PicklistColumns(layout);
        if (picklists.Count > 0)
        {
            string Q(string name) => _dialect.Quote(name);
            var names = string.Join(", ", picklists.Select((_, i) => "@n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            var optionSet = Q(MetadataTables.OptionSetName);
            await using var command = session.Command(
                $"SELECT DISTINCT {optionSet}, NULL FROM {_dialect.Owned(MetadataTables.OptionSets)} WHERE {Q(MetadataTables.EntityName)} = @entity AND {optionSet} IN ({names}) " +
                $"UNION ALL SELECT {optionSet}, MIN({Q(MetadataTables.GlobalOptionSetName)}) FROM {_dialect.Owned(MetadataTables.GlobalOptionSets)} WHERE {optionSet} IN ({names}) GROUP BY {optionSet};",
                [
                    _dialect.Parameter("@entity", ColumnStorageType.String, layout.EntityName, 128),
                    .. picklists.Select((p, i) => _dialect.Parameter("@n" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), ColumnStorageType.String, p, 128)),
                ]);
            foreach (var (name, set) in await SqlSession.ReadAllAsync(command, r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)), ct).ConfigureAwait(false))
            {
                if (set is null)
                {
                    local.Add(name);
                }
                else
                {
                    global[name] = set;
                }
            }
        }

        return LabelViews.FromStoredMetadata(layout, _dialect.MaxIdentifierLength, local, global);
    }
}
