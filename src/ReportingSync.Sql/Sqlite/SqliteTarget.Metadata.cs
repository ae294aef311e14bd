using Microsoft.Data.Sqlite;
using ReportingSync.Model;

namespace ReportingSync.Sql.Sqlite;

/// <summary>The analyst-facing metadata tables and the <c>&lt;entity&gt;_labelled</c> views.</summary>
internal sealed partial class SqliteTarget
{
    /// <summary>
    /// In the writer's transaction: for each metadata table, read the rows the given entities own, apply the difference
    /// to what the metadata says (deletes, updates, inserts), then recreate each entity's label view from its metadata.
    /// </summary>
    public Task SyncMetadataAsync(IReadOnlyList<(EntitySchema Schema, TableLayout Layout)> entities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        if (entities.Count == 0)
        {
            return Task.CompletedTask;
        }

        foreach (var (_, layout) in entities)
        {
            CheckTable(layout.TableName, layout);
        }

        var tables = MetadataRows.Build(entities);
        return WriteAsync(connection =>
        {
            var now = _time.GetUtcNow().UtcDateTime;
            var (inserted, updated, deleted) = (0, 0, 0);
            using var transaction = connection.BeginTransaction(deferred: false);
            foreach (var rows in tables)
            {
                var quoted = SqliteIdentifier.Quote(_schema.Owned(rows.Table), "table");
                var diff = MetadataDiff.Compute(rows.Table, rows.Rows, ReadScope(connection, transaction, quoted, rows), now);
                Apply(connection, transaction, quoted, rows.Table, diff);
                (inserted, updated, deleted) = (inserted + diff.Inserts.Count, updated + diff.Updates.Count, deleted + diff.Deletes.Count);
            }

            foreach (var (schema, layout) in entities)
            {
                RefreshLabelView(connection, transaction, layout, LabelViews.FromSchema(schema, layout, SqliteSchemaWriter.MaxIdentifierLength));
            }

            transaction.Commit();
            _logger.MetadataSynced(entities.Count, inserted, updated, deleted);
            return 0;
        }, cancellationToken);
    }

    private static List<object?[]> ReadScope(SqliteConnection connection, SqliteTransaction transaction, string quoted, MetadataTableRows rows)
    {
        var result = new List<object?[]>();
        if (rows.Scope.Count == 0)
        {
            return result;
        }

        using var command = new SqliteCommand(SqliteStatements.SelectOwnedScope(quoted, rows.Table, rows.Scope.Count), connection, transaction);
        for (var i = 0; i < rows.Scope.Count; i++)
        {
            command.Parameters.AddWithValue(SqliteStatements.ScopeParameter(i), rows.Scope[i]);
        }

        var columns = rows.Table.Writable;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new object?[columns.Count];
            for (var i = 0; i < columns.Count; i++)
            {
                row[i] = SqliteValues.Read(reader, i, columns[i].Type);
            }

            result.Add(row);
        }

        return result;
    }

    private static void Apply(SqliteConnection connection, SqliteTransaction transaction, string quoted, OwnedTable table, MetadataDiff diff)
    {
        Run(SqliteStatements.DeleteOwned(quoted, table), diff.Deletes, keyOnly: true);
        Run(SqliteStatements.UpdateOwned(quoted, table), diff.Updates, keyOnly: false);
        Run(SqliteStatements.InsertOwned(quoted, table), diff.Inserts, keyOnly: false);

        void Run(string sql, IReadOnlyList<object?[]> rows, bool keyOnly)
        {
            if (rows.Count == 0)
            {
                return;
            }

            using var command = new SqliteCommand(sql, connection, transaction);
            var parameters = new List<(SqliteParameter Parameter, int Ordinal)>();
            for (var i = 0; i < table.Writable.Count; i++)
            {
                var column = table.Writable[i];
                if (!keyOnly || table.MatchKey.Contains(column.Name))
                {
                    parameters.Add((command.Parameters.Add(SqliteStatements.OwnedParameter(i), SqliteValues.DbType(column.Type)), i));
                }
            }

            command.Prepare();
            foreach (var row in rows)
            {
                foreach (var (parameter, ordinal) in parameters)
                {
                    parameter.Value = SqliteValues.ToDb(row[ordinal], table.Writable[ordinal].Type);
                }

                command.ExecuteNonQuery();
            }
        }
    }

    /// <summary>
    /// Recreates the entity's label view over the live table as the database has it, with <paramref name="labels"/> or,
    /// when null, the label columns the stored metadata implies. Nothing when label views are off or the table does
    /// not exist yet; dropped when the entity's layout says no view (<see cref="LayoutOptions.LabelView"/>).
    /// </summary>
    private void RefreshLabelView(SqliteConnection connection, SqliteTransaction transaction, TableLayout layout, IReadOnlyList<LabelColumn>? labels)
    {
        if (!_labelViews)
        {
            return;
        }

        var view = LabelViews.ViewName(layout);
        if (view.Length > SqliteSchemaWriter.MaxIdentifierLength)
        {
            _logger.LabelViewSkipped(layout.EntityName, view);
            return;
        }

        if (!layout.Options.LabelView)
        {
            // Turned off for this entity: a view made while it was on goes.
            Execute(connection, transaction, SqliteSchemaWriter.DropLabelView(layout));
            return;
        }

        var columns = Columns(connection, transaction, layout.TableName);
        if (columns is null)
        {
            return;
        }

        labels ??= StoredLabels(connection, transaction, layout);
        Execute(connection, transaction, SqliteSchemaWriter.DropLabelView(layout));
        Execute(connection, transaction, _schema.CreateLabelView(layout, layout.TableName, columns.Select(c => c.Name).ToList(), labels));
        _logger.LabelViewCreated(view, labels.Count);
    }

    private IReadOnlyList<LabelColumn> StoredLabels(SqliteConnection connection, SqliteTransaction transaction, TableLayout layout)
    {
        var local = new HashSet<string>(StringComparer.Ordinal);
        var global = new Dictionary<string, string>(StringComparer.Ordinal);
        var picklists = LabelViews.PicklistColumns(layout);
        if (picklists.Count > 0)
        {
            var names = string.Join(", ", picklists.Select((_, i) => SqliteStatements.ScopeParameter(i)));
            using var command = new SqliteCommand(
                $"SELECT DISTINCT \"OptionSetName\", NULL FROM {SqliteIdentifier.Quote(_schema.Owned(MetadataTables.OptionSets), "table")} " +
                $"WHERE \"EntityName\" = $entity AND \"OptionSetName\" IN ({names}) " +
                $"UNION ALL SELECT \"OptionSetName\", min(\"GlobalOptionSetName\") FROM {SqliteIdentifier.Quote(_schema.Owned(MetadataTables.GlobalOptionSets), "table")} " +
                $"WHERE \"OptionSetName\" IN ({names}) GROUP BY \"OptionSetName\";",
                connection,
                transaction);
            command.Parameters.AddWithValue("$entity", layout.EntityName);
            for (var i = 0; i < picklists.Count; i++)
            {
                command.Parameters.AddWithValue(SqliteStatements.ScopeParameter(i), picklists[i]);
            }

            using var reader = command.ExecuteReader();
            while (reader.Read())
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

        return LabelViews.FromStoredMetadata(layout, SqliteSchemaWriter.MaxIdentifierLength, local, global);
    }
}
