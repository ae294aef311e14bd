using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>Re-seeds: the shadow table (<see cref="TableLayout.ShadowTableName"/>), created, dropped and swapped in, each with its state change.</summary>
internal sealed partial class SqlTarget
{
    public async Task<EntityState> CreateShadowTableAsync(TableLayout layout, StateChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(change);
        Qualify(layout.ShadowTableName, layout);
        var stored = await WriteAsync(lockDdl: true, async session =>
        {
            await _state.ApplyAsync(session, change, _time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
            await session.ExecuteAsync(_ddl.DropTable(layout.ShadowTableName, layout.EntityName), cancellationToken).ConfigureAwait(false);
            await session.ExecuteAsync(_ddl.CreateTable(layout, layout.ShadowTableName), cancellationToken).ConfigureAwait(false);
            return change.Stored;
        }, cancellationToken).ConfigureAwait(false);
        _logger.ShadowCreated(layout.ShadowTableName, layout.Columns.Count);
        return stored;
    }

    public async Task<EntityState> DropShadowTableAsync(TableLayout layout, StateChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(change);
        Qualify(layout.ShadowTableName, layout);
        var stored = await WriteAsync(lockDdl: true, async session =>
        {
            await _state.ApplyAsync(session, change, _time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
            await session.ExecuteAsync(_ddl.DropTable(layout.ShadowTableName, layout.EntityName), cancellationToken).ConfigureAwait(false);
            return change.Stored;
        }, cancellationToken).ConfigureAwait(false);
        _logger.ShadowDropped(layout.ShadowTableName);
        return stored;
    }

    /// <summary>
    /// One transaction under the DDL lock: the state change (the shadow cursor becomes the live one; the re-seed's commands
    /// complete), then the shadow table is applied to the live table, which keeps its identity and with it everything
    /// analysts and DBAs built on it or gave it (views, indexes, grants, comments, triggers, policies, masks). First the
    /// live table takes the shadow's shape: new columns are added, wider ones widened, and a column whose type changed is
    /// changed in place with its values set to NULL, keeping the views and other objects on it (<see cref="ChangeTableAsync"/>;
    /// what cannot be kept stops the swap with <see cref="DependentObjectsException"/> and nothing changes). Then rows the
    /// re-seed did not find go (with soft deletes: are marked deleted), rows it found new or different are written
    /// (<see cref="EntitySql.ApplyShadow"/>), and the shadow table is dropped. Readers see the table as it was until the
    /// commit and as the re-seed found it after: never a missing, empty or half-written one.
    /// SQLite cannot change a column's type in place; a type change there replaces the live table with the shadow table
    /// (<see cref="SqlDialect.ReplaceWithShadowAsync"/>), which keeps its views (they name the table) and re-creates its
    /// indexes and triggers from their own SQL text: SQLite has nothing else to keep.
    /// </summary>
    public async Task<EntityState> SwapShadowTableAsync(TableLayout layout, StateChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(change);
        var live = Qualify(layout.TableName, layout);
        var shadow = Qualify(layout.ShadowTableName, layout);
        var (stored, replaced) = await WriteAsync(lockDdl: true, async session =>
        {
            await _state.ApplyAsync(session, change, _time.GetUtcNow().UtcDateTime, cancellationToken).ConfigureAwait(false);
            if (await _dialect.ColumnsAsync(session, shadow, layout.ShadowTableName, cancellationToken).ConfigureAwait(false) is null)
            {
                throw new InvalidOperationException($"The shadow table '{layout.ShadowTableName}' does not exist; nothing was swapped.");
            }

            if (layout.Options.History)
            {
                // What the re-seed changes is history too: unchanged rows add nothing, changed rows a version, rows gone a delete.
                await AlignHistoryAsync(session, layout, cancellationToken, retype: true).ConfigureAwait(false);
                await RecordHistoryAsync(session, layout, shadow, cancellationToken).ConfigureAwait(false);
            }

            var current = await _dialect.ColumnsAsync(session, live, layout.TableName, cancellationToken).ConfigureAwait(false)
                          ?? throw new InvalidOperationException($"The table '{layout.TableName}' does not exist; nothing was swapped.");
            var (ddl, alterations) = ShapeLikeShadow(layout, current);
            if (ddl is null)
            {
                if (LabelViewName(layout) is not null)
                {
                    await session.ExecuteAsync(_ddl.DropLabelView(layout), cancellationToken).ConfigureAwait(false);
                }

                await _dialect.ReplaceWithShadowAsync(session, layout, cancellationToken).ConfigureAwait(false);
                await CreateLabelViewAsync(session, layout, labels: null, cancellationToken).ConfigureAwait(false);
                return (change.Stored, true);
            }

            Task Apply() => ApplyShadowRowsAsync(session, layout, live, shadow, cancellationToken);
            if (ddl.Count > 0)
            {
                var dependents = await KeepableDependentsAsync(session, layout, alterations, cancellationToken).ConfigureAwait(false);
                await ChangeTableAsync(session, layout, dependents, ddl, labels: null, Apply, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await Apply().ConfigureAwait(false);
            }

            await session.ExecuteAsync(_ddl.DropTable(layout.ShadowTableName, layout.EntityName), cancellationToken).ConfigureAwait(false);
            return (change.Stored, false);
        }, cancellationToken).ConfigureAwait(false);
        if (replaced)
        {
            _logger.ShadowSwapped(layout.ShadowTableName, layout.TableName);
        }

        return stored;
    }

    /// <summary>
    /// The DDL that gives the live table (<paramref name="current"/>) the shadow's columns: added, widened, retyped (a type
    /// change; values become NULL until the shadow's rows are applied); a live column the layout no longer has (a removed
    /// attribute kept, an excluded one) stays, and so does one wider than the layout asks. Null DDL when a type must change
    /// and the dialect cannot change one in place.
    /// </summary>
    private (IReadOnlyList<string>? Ddl, IReadOnlyList<ColumnAlteration> Alterations) ShapeLikeShadow(TableLayout layout, IReadOnlyList<TargetColumn> current)
    {
        var table = layout.TableName;
        var entity = layout.EntityName;
        var ddl = new List<string>();
        var alterations = new List<ColumnAlteration>();
        foreach (var column in layout.Columns)
        {
            var existing = current.FirstOrDefault(c => c.Name == column.Name);
            if (existing is null)
            {
                ddl.Add(_ddl.AddColumn(table, column, layout));
            }
            else if (existing.Type != column.Type)
            {
                if (_ddl.RetypeColumn(table, column, layout) is not { } retype)
                {
                    return (null, []);
                }

                ddl.AddRange(retype);
                alterations.Add(new ColumnAlteration(existing, column));
            }
            else if (Wider(table, existing, column) && _ddl.WidenColumn(table, column, layout) is { } widen)
            {
                ddl.Add(widen);
                alterations.Add(new ColumnAlteration(existing, column));
            }
        }

        if (layout.Options.SoftDeletes && !current.Any(c => c.Name == SyncColumns.IsDeleted))
        {
            // Soft deletes turned on since the live table was made: the shadow has the flag, so the live table gets it too.
            ddl.Add(_ddl.AddIsDeleted(table, entity));
        }

        return (ddl, alterations);
    }

    /// <summary>Whether the layout asks for more room than the live column has (a narrower layout leaves the column as it is).</summary>
    private bool Wider(string table, TargetColumn existing, TableColumn column)
    {
        try
        {
            return ColumnWidening.NeedsDdl(table, existing, new ColumnChange(ColumnChangeKind.Widen, column), _dialect.LengthsEnforced);
        }
        catch (ColumnChangeRejectedException)
        {
            return false;
        }
    }

    /// <summary>The shadow's rows into the live table, in the swap's transaction (see <see cref="SwapShadowTableAsync"/>).</summary>
    private async Task ApplyShadowRowsAsync(SqlSession session, TableLayout layout, string live, string shadow, CancellationToken ct)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var soft = layout.Options.SoftDeletes;
        var removed = await session.ExecuteAsync(
            soft ? _sql.SoftDeleteMissing(live, shadow) : _sql.DeleteMissing(live, shadow),
            ct,
            soft ? [_dialect.Parameter(EntitySql.Now, ColumnStorageType.DateTime, now)] : []).ConfigureAwait(false);
        var written = await session.ExecuteAsync(_sql.ApplyShadow(layout, live, shadow), ct, _dialect.Parameter(EntitySql.Now, ColumnStorageType.DateTime, now))
            .ConfigureAwait(false);
        _logger.ShadowApplied(layout.ShadowTableName, layout.TableName, written, removed);
    }
}
