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
    /// One transaction under the DDL lock: the state change (the shadow cursor becomes the live one; the re-seed's
    /// commands complete), then the label view goes, the live table is replaced by the shadow table (the dialect's
    /// <see cref="SqlDialect.ReplaceWithShadowAsync"/>), and the view comes back. DROP and rename take exclusive locks: a
    /// reader that arrives meanwhile waits and then reads the new table; none sees a missing or empty table.
    /// </summary>
    public async Task<EntityState> SwapShadowTableAsync(TableLayout layout, StateChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(change);
        Qualify(layout.TableName, layout);
        var shadow = Qualify(layout.ShadowTableName, layout);
        var stored = await WriteAsync(lockDdl: true, async session =>
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

            await session.ExecuteAsync(_ddl.DropLabelView(layout), cancellationToken).ConfigureAwait(false);
            await _dialect.ReplaceWithShadowAsync(session, layout, cancellationToken).ConfigureAwait(false);
            await RefreshLabelViewAsync(session, layout, labels: null, cancellationToken).ConfigureAwait(false);
            return change.Stored;
        }, cancellationToken).ConfigureAwait(false);
        _logger.ShadowSwapped(layout.ShadowTableName, layout.TableName);
        return stored;
    }
}
