using Npgsql;
using NpgsqlTypes;
using ReportingSync.Model;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>The analyst-facing metadata tables and the <c>&lt;entity&gt;_labelled</c> views.</summary>
internal sealed partial class PostgreSqlTarget
{
    /// <summary>
    /// One transaction: for each metadata table, read the rows the given entities own, apply the difference to what the
    /// metadata says (deletes, updates, inserts), then recreate each entity's label view from its metadata.
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
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LockDdlAsync(connection, cancellationToken);
        foreach (var rows in tables)
        {
            var qualified = _schema.Owned(rows.Table);
            var existing = await ReadScopeAsync(connection, qualified, rows, cancellationToken);
            var diff = MetadataDiff.Compute(rows.Table, rows.Rows, existing, now);
            await ApplyAsync(connection, qualified, rows.Table, diff, cancellationToken);
            (inserted, updated, deleted) = (inserted + diff.Inserts.Count, updated + diff.Updates.Count, deleted + diff.Deletes.Count);
        }

        foreach (var (schema, layout) in entities)
        {
            await RefreshLabelViewAsync(connection, layout, LabelViews.FromSchema(schema, layout, PostgreSqlIdentifier.MaxBytes), cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        _logger.MetadataSynced(entities.Count, inserted, updated, deleted);
        return 0;
    });

    private static async Task<List<object?[]>> ReadScopeAsync(NpgsqlConnection connection, string qualified, MetadataTableRows rows, CancellationToken ct)
    {
        var result = new List<object?[]>();
        if (rows.Scope.Count == 0)
        {
            return result;
        }

        await using var command = new NpgsqlCommand(PostgreSqlStatements.SelectOwnedScope(qualified, rows.Table), connection);
        command.Parameters.Add(PostgreSqlValues.Parameter("scope", NpgsqlDbType.Array | NpgsqlDbType.Text, rows.Scope.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(ct);
        var columns = rows.Table.Writable;
        while (await reader.ReadAsync(ct))
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                row[i] = PostgreSqlValues.Read(reader, i, columns[i].Type);
            }

            result.Add(row);
        }

        return result;
    }

    /// <summary>Deletes, then updates, then inserts, as one batch (one round trip).</summary>
    private static async Task ApplyAsync(NpgsqlConnection connection, string qualified, OwnedTable table, MetadataDiff diff, CancellationToken ct)
    {
        if (diff.IsEmpty)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection);
        Add(PostgreSqlStatements.DeleteOwned(qualified, table), diff.Deletes, keyOnly: true);
        Add(PostgreSqlStatements.UpdateOwned(qualified, table), diff.Updates, keyOnly: false);
        Add(PostgreSqlStatements.InsertOwned(qualified, table), diff.Inserts, keyOnly: false);
        await batch.ExecuteNonQueryAsync(ct);

        void Add(string sql, IReadOnlyList<object?[]> rows, bool keyOnly)
        {
            foreach (var row in rows)
            {
                var command = new NpgsqlBatchCommand(sql);
                for (var i = 0; i < table.Writable.Count; i++)
                {
                    var column = table.Writable[i];
                    if (!keyOnly || table.MatchKey.Contains(column.Name))
                    {
                        command.Parameters.Add(PostgreSqlValues.Parameter(PostgreSqlStatements.OwnedParameter(i), column.Type, row[i]));
                    }
                }

                batch.BatchCommands.Add(command);
            }
        }
    }

    /// <summary>
    /// Recreates the entity's label view over the live table as the database has it (so a layout that is ahead of the
    /// table, before drift is applied, cannot break it), with <paramref name="labels"/> or, when null, the label
    /// columns the stored metadata implies. Nothing when label views are off or the table does not exist yet; dropped when
    /// the entity's layout says no view (<see cref="LayoutOptions.LabelView"/>).
    /// </summary>
    private async Task RefreshLabelViewAsync(NpgsqlConnection connection, TableLayout layout, IReadOnlyList<LabelColumn>? labels, CancellationToken ct)
    {
        if (!_labelViews)
        {
            return;
        }

        var view = LabelViews.ViewName(layout);
        if (view.Length > PostgreSqlIdentifier.MaxBytes)
        {
            _logger.LabelViewSkipped(layout.EntityName, view);
            return;
        }

        if (!layout.Options.LabelView)
        {
            // Turned off for this entity: a view made while it was on goes.
            await ExecuteAsync(connection, _schema.DropLabelView(layout), ct);
            return;
        }

        var columns = await ColumnsAsync(connection, QualifiedTable(layout.TableName, layout), ct);
        if (columns is null)
        {
            return;
        }

        labels ??= await StoredLabelsAsync(connection, layout, ct);
        await ExecuteAsync(connection, _schema.DropLabelView(layout), ct);
        await ExecuteAsync(connection, _schema.CreateLabelView(layout, layout.TableName, columns.Select(c => c.Name).ToList(), labels), ct);
        _logger.LabelViewCreated(view, labels.Count);
    }

    private async Task<IReadOnlyList<LabelColumn>> StoredLabelsAsync(NpgsqlConnection connection, TableLayout layout, CancellationToken ct)
    {
        var local = new HashSet<string>(StringComparer.Ordinal);
        var global = new Dictionary<string, string>(StringComparer.Ordinal);
        var picklists = LabelViews.PicklistColumns(layout);
        if (picklists.Count > 0)
        {
            var optionSets = _schema.Owned(MetadataTables.OptionSets);
            var globalSets = _schema.Owned(MetadataTables.GlobalOptionSets);
            await using var command = new NpgsqlCommand(
                $"SELECT DISTINCT \"OptionSetName\", NULL FROM {optionSets} WHERE \"EntityName\" = @entity AND \"OptionSetName\" = ANY(@names) " +
                $"UNION ALL SELECT \"OptionSetName\", min(\"GlobalOptionSetName\") FROM {globalSets} WHERE \"OptionSetName\" = ANY(@names) GROUP BY \"OptionSetName\";",
                connection);
            command.Parameters.Add(PostgreSqlValues.Parameter("entity", ColumnStorageType.String, layout.EntityName));
            command.Parameters.Add(PostgreSqlValues.Parameter("names", NpgsqlDbType.Array | NpgsqlDbType.Text, picklists.ToArray()));
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

        return LabelViews.FromStoredMetadata(layout, PostgreSqlIdentifier.MaxBytes, local, global);
    }
}
