using System.Text;
using Microsoft.Data.SqlClient;
using ReportingSync.Model;

namespace ReportingSync.Sql.SqlServer;

/// <summary>The analyst-facing metadata tables and the <c>&lt;entity&gt;_labelled</c> views.</summary>
internal sealed partial class SqlServerTarget
{
    /// <summary>SQL Server takes at most 2100 parameters per request; row statements are sent in chunks below that.</summary>
    private const int MaxParameters = 2000;

    /// <summary>
    /// One transaction under the DDL app lock: for each metadata table, read the rows the given entities own, apply the
    /// difference to what the metadata says (deletes, updates, inserts, several rows per round trip), then recreate
    /// each entity's label view from its metadata.
    /// </summary>
    public Task SyncMetadataAsync(IReadOnlyList<(EntitySchema Schema, TableLayout Layout)> entities, CancellationToken cancellationToken) => RunAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(entities);
        if (entities.Count == 0)
        {
            return 0;
        }

        foreach (var (_, layout) in entities)
        {
            QualifiedTable(layout.TableName, layout);
        }

        var tables = MetadataRows.Build(entities);
        var now = _time.GetUtcNow().UtcDateTime;
        var (inserted, updated, deleted) = (0, 0, 0);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginAsync(connection, cancellationToken);
        foreach (var rows in tables)
        {
            var qualified = _schema.Owned(rows.Table);
            var diff = MetadataDiff.Compute(rows.Table, rows.Rows, await ReadScopeAsync(connection, transaction, qualified, rows, cancellationToken), now);
            await ApplyAsync(connection, transaction, qualified, rows.Table, diff.Deletes, SqlServerStatements.DeleteOwned, keyOnly: true, cancellationToken);
            await ApplyAsync(connection, transaction, qualified, rows.Table, diff.Updates, SqlServerStatements.UpdateOwned, keyOnly: false, cancellationToken);
            await ApplyAsync(connection, transaction, qualified, rows.Table, diff.Inserts, SqlServerStatements.InsertOwned, keyOnly: false, cancellationToken);
            (inserted, updated, deleted) = (inserted + diff.Inserts.Count, updated + diff.Updates.Count, deleted + diff.Deletes.Count);
        }

        foreach (var (schema, layout) in entities)
        {
            await RefreshLabelViewAsync(connection, transaction, layout, LabelViews.FromSchema(schema, layout, SqlServerIdentifier.MaxLength), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _logger.MetadataSynced(entities.Count, inserted, updated, deleted);
        return 0;
    });

    private static async Task<List<object?[]>> ReadScopeAsync(
        SqlConnection connection, SqlTransaction transaction, string qualified, MetadataTableRows rows, CancellationToken ct)
    {
        var result = new List<object?[]>();
        foreach (var chunk in rows.Scope.Chunk(MaxParameters))
        {
            await using var command = new SqlCommand(SqlServerStatements.SelectOwnedScope(qualified, rows.Table, chunk.Length), connection, transaction);
            for (var i = 0; i < chunk.Length; i++)
            {
                command.Parameters.Add(SqlServerValues.Parameter(SqlServerStatements.ListParameter(i), ColumnStorageType.String, chunk[i], 128));
            }

            var columns = rows.Table.Writable;
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var row = new object?[columns.Count];
                for (var i = 0; i < columns.Count; i++)
                {
                    row[i] = SqlServerValues.Read(reader, i, columns[i].Type);
                }

                result.Add(row);
            }
        }

        return result;
    }

    /// <summary>One statement per row, as many rows per request as the parameter limit allows (prefix <c>r&lt;n&gt;_</c>).</summary>
    private static async Task ApplyAsync(
        SqlConnection connection, SqlTransaction transaction, string qualified, OwnedTable table, IReadOnlyList<object?[]> rows,
        Func<string, OwnedTable, string, string> statement, bool keyOnly, CancellationToken ct)
    {
        var columns = table.Writable.Select((c, i) => (Column: c, Ordinal: i)).Where(c => !keyOnly || table.MatchKey.Contains(c.Column.Name)).ToList();
        foreach (var chunk in rows.Chunk(Math.Max(1, MaxParameters / columns.Count)))
        {
            var sql = new StringBuilder();
            await using var command = new SqlCommand { Connection = connection, Transaction = transaction };
            for (var r = 0; r < chunk.Length; r++)
            {
                var prefix = "r" + r.ToString(System.Globalization.CultureInfo.InvariantCulture) + "_";
                sql.Append(statement(qualified, table, prefix)).Append('\n');
                foreach (var (column, ordinal) in columns)
                {
                    command.Parameters.Add(SqlServerValues.Parameter(SqlServerStatements.OwnedParameter(ordinal, prefix), column.Type, chunk[r][ordinal], column.MaxLength));
                }
            }

            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Recreates the entity's label view over the live table as the database has it (so a layout that is ahead of the
    /// table, before drift is applied, cannot break it), with <paramref name="labels"/> or, when null, the label columns
    /// the stored metadata implies. Nothing when label views are off or the table does not exist yet; dropped when the
    /// entity's layout says no view (<see cref="LayoutOptions.LabelView"/>).
    /// </summary>
    private async Task RefreshLabelViewAsync(
        SqlConnection connection, SqlTransaction transaction, TableLayout layout, IReadOnlyList<LabelColumn>? labels, CancellationToken ct)
    {
        if (!_labelViews)
        {
            return;
        }

        var view = LabelViews.ViewName(layout);
        if (view.Length > SqlServerIdentifier.MaxLength)
        {
            _logger.LabelViewSkipped(layout.EntityName, view);
            return;
        }

        if (!layout.Options.LabelView)
        {
            // Turned off for this entity: a view made while it was on goes.
            await ExecuteAsync(connection, transaction, _schema.DropLabelView(layout), ct);
            return;
        }

        var columns = await ColumnsAsync(connection, transaction, QualifiedTable(layout.TableName, layout), ct);
        if (columns is null)
        {
            return;
        }

        labels ??= await StoredLabelsAsync(connection, transaction, layout, ct);
        await ExecuteAsync(connection, transaction, _schema.DropLabelView(layout), ct);
        await ExecuteAsync(connection, transaction, _schema.CreateLabelView(layout, layout.TableName, columns.Select(c => c.Name).ToList(), labels), ct);
        _logger.LabelViewCreated(view, labels.Count);
    }

    private async Task<IReadOnlyList<LabelColumn>> StoredLabelsAsync(SqlConnection connection, SqlTransaction transaction, TableLayout layout, CancellationToken ct)
    {
        var local = new HashSet<string>(StringComparer.Ordinal);
        var global = new Dictionary<string, string>(StringComparer.Ordinal);
        var picklists = LabelViews.PicklistColumns(layout);
        if (picklists.Count > 0)
        {
            var names = string.Join(", ", picklists.Select((_, i) => SqlServerStatements.ListParameter(i)));
            await using var command = new SqlCommand(
                $"SELECT DISTINCT [OptionSetName], NULL FROM {_schema.Owned(MetadataTables.OptionSets)} WHERE [EntityName] = @entity AND [OptionSetName] IN ({names}) " +
                $"UNION ALL SELECT [OptionSetName], MIN([GlobalOptionSetName]) FROM {_schema.Owned(MetadataTables.GlobalOptionSets)} WHERE [OptionSetName] IN ({names}) GROUP BY [OptionSetName];",
                connection,
                transaction);
            command.Parameters.Add(SqlServerValues.Parameter(SqlServerStatements.EntityParameter, ColumnStorageType.String, layout.EntityName, 128));
            for (var i = 0; i < picklists.Count; i++)
            {
                command.Parameters.Add(SqlServerValues.Parameter(SqlServerStatements.ListParameter(i), ColumnStorageType.String, picklists[i], 128));
            }

            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (reader.IsDBNull(1))
                {
                    local.Add(reader.GetString(0));
                }
                else
                {
                    global[reader.GetString(0)] = reader.GetString(1);
                }
            }
        }

        return LabelViews.FromStoredMetadata(layout, SqlServerIdentifier.MaxLength, local, global);
    }
}
