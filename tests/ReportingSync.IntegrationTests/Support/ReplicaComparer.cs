using System.Globalization;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Store;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// Compares a replicated table with the simulator's own rows, column by column. The expected side is built from the
/// simulator store (not from our Web API client), so a decoding bug in the client shows up as a difference.
/// </summary>
internal static class ReplicaComparer
{
    private const int MaxReported = 20;

    /// <summary>Returns human-readable differences (empty when the replica equals the source).</summary>
    public static async Task<IReadOnlyList<string>> CompareAsync(
        SimulatorStore store, IChangeSource source, IReportingTarget target, string entity, CancellationToken cancellationToken = default)
    {
        var schema = await source.GetEntitySchemaAsync(entity, cancellationToken);
        var layout = TableLayout.Create(schema);
        var expected = store.Snapshot(entity).ToDictionary(r => r.Id);

        // Dataverse resolves a lookup's display name when the row is read, and renaming or deleting the referenced
        // row does not change the referencing row's version, so change tracking never reports it. A replica (ours,
        // Data Export Service, Synapse Link alike) keeps the name as of the referencing row's last change. Names are
        // compared only where the referenced row never changed during the test.
        var touched = store.ChangesSince(store.InitialVersion)
            .Where(c => c.Kind != ChangeKind.Create)
            .Select(c => c.Id)
            .ToHashSet();
        var differences = new List<string>();
        var seen = new HashSet<Guid>();

        await foreach (var actual in target.ReadRowsAsync(layout, null, cancellationToken))
        {
            var id = (Guid)actual[0]!;
            if (!seen.Add(id))
            {
                Report(differences, $"{entity} {id}: duplicated in the target");
                continue;
            }

            if (!expected.TryGetValue(id, out var row))
            {
                Report(differences, $"{entity} {id}: in the target but not in the source");
                continue;
            }

            for (var i = 0; i < layout.Columns.Count; i++)
            {
                var column = layout.Columns[i];
                if (column.Role == ColumnRole.LookupName && LookupTarget(layout, column, row) is { } referenced && touched.Contains(referenced))
                {
                    continue;
                }

                var want = Normalize(column, ExpectedValue(column, row));
                var have = Normalize(column, actual[i]);
                if (!Equals(want, have))
                {
                    Report(differences, $"{entity} {id} column {column.Name}: source {Show(want)}, target {Show(have)}");
                }
            }
        }

        foreach (var id in expected.Keys.Where(id => !seen.Contains(id)))
        {
            Report(differences, $"{entity} {id}: in the source but not in the target");
        }

        return differences;
    }

    public static async Task AssertEqualAsync(
        SimulatorStore store, IChangeSource source, IReportingTarget target, IEnumerable<string> entities, CancellationToken cancellationToken = default)
    {
        var all = new List<string>();
        foreach (var entity in entities)
        {
            all.AddRange(await CompareAsync(store, source, target, entity, cancellationToken));
        }

        all.Should().BeEmpty("the replica must equal the source row for row and column for column");
    }

    private static object? ExpectedValue(TableColumn column, StoreRow row) => column.Role switch
    {
        ColumnRole.PrimaryId => row.Id,
        ColumnRole.Version => row.Version,
        ColumnRole.LookupId => Lookup(row[column.AttributeName])?.Id,
        ColumnRole.LookupEntityType => Lookup(row[column.AttributeName])?.LogicalName,
        ColumnRole.LookupName => Lookup(row[column.AttributeName])?.Name,
        ColumnRole.LookupYomiName => null,
        _ => row[column.AttributeName],
    };

    private static LookupValue? Lookup(object? value) => value as LookupValue;

    private static Guid? LookupTarget(TableLayout layout, TableColumn nameColumn, StoreRow row) => Lookup(row[nameColumn.AttributeName])?.Id;

    /// <summary>Brings both sides to one CLR type per storage type; dates compare at the Web API's whole seconds.</summary>
    private static object? Normalize(TableColumn column, object? value)
    {
        if (value is null)
        {
            return null;
        }

        return column.Type switch
        {
            ColumnStorageType.Guid => value is Guid g ? g : Guid.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!),
            ColumnStorageType.String => Convert.ToString(value, CultureInfo.InvariantCulture),
            ColumnStorageType.Int32 => Convert.ToInt32(value, CultureInfo.InvariantCulture),
            ColumnStorageType.Int64 => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ColumnStorageType.Decimal => Convert.ToDecimal(value, CultureInfo.InvariantCulture),
            ColumnStorageType.Double => Convert.ToDouble(value, CultureInfo.InvariantCulture),
            ColumnStorageType.Boolean => Convert.ToBoolean(value, CultureInfo.InvariantCulture),
            ColumnStorageType.DateTime => WholeSeconds(value),
            ColumnStorageType.Date => value switch
            {
                DateOnly d => d,
                DateTime dt => DateOnly.FromDateTime(dt),
                _ => DateOnly.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture),
            },
            _ => value,
        };
    }

    private static DateTime WholeSeconds(object value)
    {
        var utc = value switch
        {
            DateTime dt => dt.Kind == DateTimeKind.Local ? dt.ToUniversalTime() : DateTime.SpecifyKind(dt, DateTimeKind.Utc),
            DateTimeOffset dto => dto.UtcDateTime,
            DateOnly d => d.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc),
            _ => DateTime.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal),
        };
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    private static string Show(object? value) => value switch
    {
        null => "NULL",
        string s => $"'{s}'",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static void Report(List<string> differences, string difference)
    {
        if (differences.Count < MaxReported)
        {
            differences.Add(difference);
        }
        else if (differences.Count == MaxReported)
        {
            differences.Add("... (further differences not listed)");
        }
    }
}
