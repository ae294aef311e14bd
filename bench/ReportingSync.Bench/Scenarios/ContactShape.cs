using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;

namespace ReportingSync.Bench.Scenarios;

/// <summary>
/// The benchmark table: the simulator's DQT <c>contact</c> cut down (with the worker's own <c>Include</c> setting) to
/// its first attributes until the table has about 60 columns, so the shape (ids, lookups, choices, dates, strings,
/// mostly nulls) is a real contact's. <see cref="All"/> keeps every one of its 317 columns (the memory case).
/// </summary>
internal sealed record ContactShape(IReadOnlyList<string> Include, TableLayout Layout)
{
    public const string Entity = "contact";

    public int Columns => Layout.Columns.Count;

    public bool IsAll => Include.Count == 0;

    /// <summary>Settings for <see cref="IntegrationTests.Harness.WorkerConfig.Extra"/> that configure the entity with this shape.</summary>
    public Dictionary<string, string> Settings(IReadOnlyDictionary<string, string>? more = null)
    {
        // Sequential unless a scenario asks otherwise: scenario 2 compares it with the parallel seed.
        var settings = new Dictionary<string, string> { ["ReportingSync:Entities:0:Name"] = Entity, ["ReportingSync:SeedPartitions"] = "1" };
        for (var i = 0; i < Include.Count; i++)
        {
            settings[$"ReportingSync:Entities:0:Include:{i}"] = Include[i];
        }

        foreach (var (key, value) in more ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        return settings;
    }

    public static async Task<ContactShape> ChooseAsync(Uri organisation, string connectionString, int? columns)
    {
        await using var worker = InProcessWorker.For(organisation, "PostgreSql", connectionString, [Entity]);
        var schema = await worker.Source.GetEntitySchemaAsync(Entity, CancellationToken.None);
        if (columns is null)
        {
            return new ContactShape([], TableLayout.Create(schema));
        }

        var include = new List<string> { schema.PrimaryIdAttribute, "versionnumber", "modifiedon" };
        var layout = TableLayout.Create(schema, new ColumnSelection { Include = include });
        foreach (var attribute in schema.Attributes.Select(a => a.LogicalName).Where(a => !include.Contains(a)))
        {
            var wider = TableLayout.Create(schema, new ColumnSelection { Include = [.. include, attribute] });
            if (wider.Columns.Count > columns)
            {
                continue;
            }

            include.Add(attribute);
            layout = wider;
        }

        return new ContactShape(include, layout);
    }
}
