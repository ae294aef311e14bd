using System.Data.Common;
using System.Globalization;
using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>The analyst-facing metadata tables (<see cref="IMetadataStore"/>) and the label views they feed.</summary>
internal sealed partial class SqlTarget
{
    /// <summary>
    /// One transaction under the DDL lock: for each metadata table, read the rows the given entities own, apply the
    /// difference to what the metadata says (deletes, updates, inserts), then recreate each entity's label view.
    /// </summary>
    public async Task SyncMetadataAsync(IReadOnlyList<(EntitySchema Schema, TableLayout Layout)> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        if (entities.Count == 0)
        {
            return;
        }

        foreach (var (_, layout) in entities)
        {
            Qualify(layout.TableName, layout);
        }

        var tables = MetadataRows.Build(entities);
        var owned = new OwnedSql(_dialect);
        var (inserted, updated, deleted) = await WriteAsync(lockDdl: true, async session =>
        {
            var now = _time.GetUtcNow().UtcDateTime;
            var (i, u, d) = (0, 0, 0);
            foreach (var rows in tables)
            {
                var qualified = _dialect.Owned(rows.Table);
                var diff = MetadataDiff.Compute(rows.Table, rows.Rows, await ReadScopeAsync(session, owned, qualified, rows, cancellationToken).ConfigureAwait(false), now);
                await ApplyAsync(session, qualified, rows.Table, diff.Deletes, owned.Delete, keyOnly: true, cancellationToken).ConfigureAwait(false);
                await ApplyAsync(session, qualified, rows.Table, diff.Updates, owned.Update, keyOnly: false, cancellationToken).ConfigureAwait(false);
                await ApplyAsync(session, qualified, rows.Table, diff.Inserts, owned.Insert, keyOnly: false, cancellationToken).ConfigureAwait(false);
                (i, u, d) = (i + diff.Inserts.Count, u + diff.Updates.Count, d + diff.Deletes.Count);
            }

            foreach (var (schema, layout) in entities)
            {
                await RefreshLabelViewAsync(session, layout, LabelViews.FromSchema(schema, layout, _dialect.MaxIdentifierLength), cancellationToken).ConfigureAwait(false);
            }

            return (i, u, d);
        }, cancellationToken).ConfigureAwait(false);
        _logger.MetadataSynced(entities.Count, inserted, updated, deleted);
    }

    private async Task<List<object?[]>> ReadScopeAsync(SqlSession session, OwnedSql owned, string qualified, MetadataTableRows rows, CancellationToken ct)
    {
        if (rows.Scope.Count == 0)
        {
            return [];
        }

        var columns = rows.Table.Writable;
        await using var command = session.Command(
            owned.SelectScope(qualified, rows.Table, rows.Scope.Count),
            rows.Scope.Select((s, i) => _dialect.Parameter(OwnedSql.ListParameter(i), ColumnStorageType.String, s, 128)));
        return await SqlSession.ReadAllAsync(command, r => _state.ReadRow(r, columns), ct).ConfigureAwait(false);
    }

    /// <summary>One statement per row, as many rows per request as the dialect's parameter limit allows (prefix <c>r&lt;n&gt;_</c>).</summary>
    private async Task ApplyAsync(
        SqlSession session, string qualified, OwnedTable table, IReadOnlyList<object?[]> rows, Func<string, OwnedTable, string, string> statement, bool keyOnly,
        CancellationToken ct)
    {
        var columns = table.Writable.Select((c, i) => (Column: c, Ordinal: i)).Where(c => !keyOnly || table.MatchKey.Contains(c.Column.Name)).ToList();
        foreach (var chunk in rows.Chunk(Math.Max(1, _dialect.MaxParameters / columns.Count)))
        {
            var sql = new StringBuilder();
            var parameters = new List<DbParameter>();
            for (var r = 0; r < chunk.Length; r++)
            {
                var prefix = "r" + r.ToString(CultureInfo.InvariantCulture) + "_";
                sql.Append(statement(qualified, table, prefix)).Append('\n');
                parameters.AddRange(columns.Select(c => _dialect.Parameter(OwnedSql.Parameter(c.Ordinal, prefix), c.Column.Type, chunk[r][c.Ordinal], c.Column.MaxLength)));
            }

            await session.ExecuteAsync(sql.ToString(), ct, parameters).ConfigureAwait(false);
        }
    }
}
