using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ReportingSync.Engine;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Target;

namespace ReportingSync.Tests.Engine.Support;

/// <summary>
/// One entity's agent over a <see cref="ScriptedTable"/> and a real SQLite target in a file of its own, seen through
/// the target's role interfaces the way the engine sees it.
/// </summary>
internal sealed class AgentUnderTest : IAsyncDisposable
{
    private readonly string _directory;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    private AgentUnderTest(ScriptedTable source, IReportingTarget target, string directory)
    {
        Source = source;
        Target = target;
        _directory = directory;
    }

    /// <summary>The replica's SQLite connection string, for reading it as an analyst would.</summary>
    public string ConnectionString => $"Data Source={Path.Combine(_directory, "replica.db")}";

    public ScriptedTable Source { get; }

    public IReportingTarget Target { get; }

    public static async Task<AgentUnderTest> StartAsync(ScriptedTable source, TimeProvider? time = null)
    {
        var directory = Directory.CreateTempSubdirectory("reportingsync-engine-").FullName;
        var target = ReportingTargetFactory.Create(
            new TargetOptions { Provider = TargetProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(directory, "replica.db")}" },
            time ?? TimeProvider.System,
            NullLoggerFactory.Instance);
        await target.InitializeAsync(CancellationToken.None);
        return new AgentUnderTest(source, target, directory);
    }

    /// <summary>A prepared agent for the scripted table, fenced by <paramref name="fence"/> when given.</summary>
    public async Task<EntitySyncAgent> AgentAsync(LeaseFence? fence = null, TimeProvider? time = null)
    {
        var clock = time ?? TimeProvider.System;
        var agent = new EntitySyncAgent(
            new EntityOptions { Name = ScriptedTable.Entity },
            new LayoutOptions(),
            Source,
            Target,
            new SyncMetrics(_services.GetRequiredService<IMeterFactory>(), clock),
            clock,
            NullLogger.Instance,
            queries: Source)
        {
            Fence = fence,
            WorkerId = fence?.Owner ?? "test-worker",
        };
        await agent.PrepareAsync(null, CancellationToken.None);
        return agent;
    }

    public TableLayout Layout => TableLayout.Create(ScriptedTable.Schema);

    /// <summary>The replica's rows by id: (name, version).</summary>
    public async Task<Dictionary<Guid, (string Name, long Version)>> ReplicaAsync()
    {
        var layout = Layout;
        var rows = new Dictionary<Guid, (string, long)>();
        await foreach (var row in Target.ReadRowsAsync(layout, null, CancellationToken.None))
        {
            rows[(Guid)row[layout.IdOrdinal]!] = ((string)row[layout.IndexOf("fullname")]!, (long)row[layout.VersionOrdinal]!);
        }

        return rows;
    }

    /// <summary>Runs statements on the replica behind the target's back (a hand edit, a lost row).</summary>
    public async Task ExecuteAsync(params string[] statements)
    {
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        foreach (var statement in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Target.DisposeAsync();
        await _services.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }
}
