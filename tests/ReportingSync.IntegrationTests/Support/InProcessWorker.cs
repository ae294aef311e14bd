using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReportingSync.Engine;
using ReportingSync.Hosting;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// The worker's own composition (<see cref="WorkerHost.AddWorkerServices"/>) built in process from settings, so a test
/// gets the same source, target and engine the executable uses, without a child process.
/// </summary>
internal sealed class InProcessWorker : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly IReadOnlyDictionary<string, string?> _settings;

    /// <param name="settings">Configuration, as the executable reads it.</param>
    /// <param name="wrapTarget">Wraps the real target (to make it fail at a chosen step, say); null uses it as it is.</param>
    public InProcessWorker(IReadOnlyDictionary<string, string?> settings, Func<IReportingTarget, IReportingTarget>? wrapTarget = null)
    {
        _settings = settings;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        WorkerHost.AddWorkerServices(services, configuration);
        if (wrapTarget is not null)
        {
            var real = services.Single(d => d.ServiceType == typeof(IReportingTarget));
            services.Remove(real);
            services.AddSingleton(provider => wrapTarget((IReportingTarget)real.ImplementationFactory!(provider)));
        }

        _services = services.BuildServiceProvider();
    }

    public static InProcessWorker For(
        Uri dataverseUrl, string provider, string connectionString, IEnumerable<string> entities, IReadOnlyDictionary<string, string?>? extra = null,
        Func<IReportingTarget, IReportingTarget>? wrapTarget = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ReportingSync:Dataverse:Url"] = dataverseUrl.ToString(),
            ["ReportingSync:Dataverse:Auth:Mode"] = "None",
            ["ReportingSync:Target:Provider"] = provider,
            ["ReportingSync:Target:ConnectionString"] = connectionString,
        };
        var index = 0;
        foreach (var entity in entities)
        {
            settings[$"ReportingSync:Entities:{index++}"] = entity;
        }

        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return new InProcessWorker(settings, wrapTarget);
    }

    public IChangeSource Source => _services.GetRequiredService<IChangeSource>();

    public IReportingTarget Target => _services.GetRequiredService<IReportingTarget>();

    public SyncSupervisor Supervisor => _services.GetRequiredService<SyncSupervisor>();

    /// <summary>What <c>run --once</c> does: preflight, initialise, one pass.</summary>
    public async Task<IReadOnlyList<EntityOutcome>> RunOnceAsync(CancellationToken cancellationToken = default)
    {
        var schemas = await Supervisor.PreflightAsync(cancellationToken);
        await Supervisor.InitializeAsync(schemas, cancellationToken);
        return await Supervisor.RunOnceAsync(cancellationToken);
    }

    private bool IsPostgres => string.Equals(_settings["ReportingSync:Target:Provider"], "PostgreSql", StringComparison.OrdinalIgnoreCase);

    /// <summary>The Detail of each history entry of one kind for an entity, oldest first (read with plain SQL).</summary>
    public async Task<IReadOnlyList<string>> HistoryDetailsAsync(string entity, string eventName)
    {
        var sql = IsPostgres
            ? """SELECT "Detail" FROM reportingsync."SyncHistory" WHERE "EntityName" = @entity AND "Event" = @event ORDER BY "Id" """
            : "SELECT Detail FROM reportingsync_SyncHistory WHERE EntityName = @entity AND Event = @event ORDER BY Id";
        return await QueryAsync(sql, [("entity", entity), ("event", eventName)], r => r.IsDBNull(0) ? "" : r.GetString(0));
    }

    /// <summary>The SchemaChange rows of an entity, oldest first (read with plain SQL).</summary>
    public Task<IReadOnlyList<(string Column, string Change, string Action, string Detail)>> SchemaChangesAsync(string entity)
    {
        var sql = IsPostgres
            ? """SELECT "ColumnName", "Change", "Action", "Detail" FROM reportingsync."SchemaChange" WHERE "EntityName" = @entity ORDER BY "Id" """
            : "SELECT ColumnName, Change, Action, Detail FROM reportingsync_SchemaChange WHERE EntityName = @entity ORDER BY Id";
        return QueryAsync(sql, [("entity", entity)], r => (r.GetString(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? "" : r.GetString(3)));
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, (string Name, string Value)[] parameters, Func<System.Data.Common.DbDataReader, T> read)
    {
        var connectionString = _settings["ReportingSync:Target:ConnectionString"]!;
        await using System.Data.Common.DbConnection connection = IsPostgres
            ? new Npgsql.NpgsqlConnection(connectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
