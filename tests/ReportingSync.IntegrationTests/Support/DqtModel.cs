using Microsoft.Extensions.DependencyInjection;
using ReportingSync.Dataverse;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Model;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// The DQT model as the worker sees it in production, with nothing invented by the tests:
/// <list type="number">
/// <item>the simulator builds its Dataverse model from <c>dqt-reporting-tables.json</c> and <c>dqt-option-sets.json</c>
/// (its <c>ReferenceModelBuilder</c>, by the rules stated in <c>DesColumnRules</c>: a uniqueidentifier with an
/// <c>_entitytype</c> companion is a lookup, <c>Xname</c> of a lookup is derived, nvarchar(max) is Memo, an int with an
/// option set of its name is a choice, datetime names ending in "date" are DateOnly, and so on);</item>
/// <item>it serves that model as Web API metadata (<c>EntityDefinitions</c>, attribute casts, option sets) over loopback
/// HTTP;</item>
/// <item>the Dataverse client's <c>MetadataReader</c> (through <see cref="DataverseChangeSource"/>, registered with
/// <see cref="DataverseServiceCollectionExtensions.AddDataverseSource(IServiceCollection, Action{DataverseOptions})"/>)
/// turns it into <see cref="EntitySchema"/>s.</item>
/// </list>
/// So a DDL test fed from here checks the whole chain JSON → metadata → layout → DDL against the JSON again. The 55
/// schemas are read once per test process (a simulator with no rows starts in well under a second).
/// </summary>
public static class DqtModel
{
    private static readonly Lazy<Task<IReadOnlyDictionary<string, EntitySchema>>> Lazy = new(ReadAllAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Every DQT table's schema by logical name.</summary>
    public static Task<IReadOnlyDictionary<string, EntitySchema>> SchemasAsync() => Lazy.Value;

    public static async Task<EntitySchema> SchemaAsync(string logicalName) => (await SchemasAsync())[logicalName];

    /// <summary>The schemas in the order of <c>dqt-reporting-tables.json</c>.</summary>
    public static async Task<IReadOnlyList<EntitySchema>> AllAsync()
    {
        var schemas = await SchemasAsync();
        return DqtReference.Tables.Select(t => schemas[t.Table]).ToList();
    }

    /// <summary>
    /// <paramref name="schema"/> with the option set of each choice attribute passed through <paramref name="alter"/>
    /// (given "entity.attribute" and the set), as if an administrator had edited the options.
    /// </summary>
    public static EntitySchema WithOptions(EntitySchema schema, Func<string, OptionSetSchema, OptionSetSchema> alter) => schema with
    {
        Attributes = schema.Attributes
            .Select(a => a.OptionSet is { } set ? a with { OptionSet = alter(schema.LogicalName + "." + a.LogicalName, set) } : a)
            .ToList(),
    };

    /// <summary>A <see cref="DataverseChangeSource"/> on a simulator, built through the client's public door.</summary>
    internal static ServiceProvider SourceFor(SimulatorHost host) =>
        new ServiceCollection()
            .AddDataverseSource(o =>
            {
                o.Url = host.BaseUrl;
                o.Auth.Mode = DataverseAuthMode.None;
                o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
                o.RetryMaxDelay = TimeSpan.FromMilliseconds(100);
            })
            .BuildServiceProvider();

    private static async Task<IReadOnlyDictionary<string, EntitySchema>> ReadAllAsync()
    {
        var names = DqtReference.Tables.Select(t => t.Table).ToList();
        await using var host = await SimulatorHost.StartAsync(new SimulatorOptions { RowCounts = names.ToDictionary(n => n, _ => 0) });
        await using var services = SourceFor(host);
        var source = services.GetRequiredService<DataverseChangeSource>();
        var schemas = await Task.WhenAll(names.Select(n => source.GetEntitySchemaAsync(n, CancellationToken.None)));
        return schemas.ToDictionary(s => s.LogicalName, StringComparer.Ordinal);
    }
}
