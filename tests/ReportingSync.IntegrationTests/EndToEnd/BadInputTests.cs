using System.Net;
using System.Net.Sockets;
using Npgsql;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.EndToEnd;

/// <summary>
/// What a user gets wrong on day one: each mistake ends the run with exit code 2 and one message that names the
/// problem, and nothing is written to the target.
/// </summary>
public sealed class BadInputTests : IAsyncLifetime, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);
    private readonly TempDirectory _temp = new("reportingsync-badinput-");
    private SimulatorHost _simulator = null!;

    public async Task InitializeAsync() => _simulator = await SimulatorHost.StartAsync(new SimulatorOptions
    {
        Entities = ["contact", "dfeta_sanction", "systemuser"],
        RowCounts = { ["contact"] = 50, ["dfeta_sanction"] = 20 },
    });

    public Task DisposeAsync() => _simulator.DisposeAsync().AsTask();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task An_entity_without_change_tracking_is_named_and_nothing_is_written()
    {
        _simulator.Store.SetChangeTracking("dfeta_sanction", false);
        var database = _temp.File("tracking.db");

        var (exitCode, output) = await RunAsync(SqliteConfig(database, "contact", "dfeta_sanction"));

        exitCode.Should().Be(2, output);
        OneProblem(output).Should().Contain("dfeta_sanction").And.Contain("change tracking");
        File.Exists(database).Should().BeFalse("a run that cannot start must not leave a database behind");
    }

    [Fact]
    public async Task An_unknown_entity_is_named_and_nothing_is_written()
    {
        var database = _temp.File("unknown.db");

        var (exitCode, output) = await RunAsync(SqliteConfig(database, "contact", "contactx"));

        exitCode.Should().Be(2, output);
        OneProblem(output).Should().Contain("'contactx'");
        File.Exists(database).Should().BeFalse();
    }

    [Fact]
    public async Task An_unreachable_Dataverse_url_is_named_and_nothing_is_written()
    {
        var database = _temp.File("unreachable.db");
        var closedPort = ClosedPort();
        var config = new WorkerConfig
        {
            DataverseUrl = $"http://127.0.0.1:{closedPort}",
            Provider = "Sqlite",
            ConnectionString = $"Data Source={database}",
            Entities = ["contact"],
            MaxRetries = 1,
        }.WriteTo(_temp.Path);

        var (exitCode, output) = await RunAsync(config);

        exitCode.Should().Be(2, output);
        OneProblem(output).Should().Contain($"http://127.0.0.1:{closedPort}").And.Contain("could not be reached");
        File.Exists(database).Should().BeFalse();
    }

    [Fact]
    public async Task A_SQLite_file_in_a_missing_folder_is_named()
    {
        var database = Path.Combine(_temp.Path, "no-such-folder", "replica.db");

        var (exitCode, output) = await RunAsync(SqliteConfig(database, "contact"));

        exitCode.Should().Be(2, output);
        OneProblem(output).Should().Contain(database).And.Contain("folder");
    }

    [Fact]
    public async Task A_PostgreSQL_connection_string_to_a_missing_database_is_named_without_its_password_and_nothing_is_written()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var bad = new NpgsqlConnectionStringBuilder(cluster.ConnectionString("postgres")) { Database = "no_such_database", Password = "Sup3r-Secret!" }.ConnectionString;
        var config = new WorkerConfig { DataverseUrl = _simulator.BaseUrl, Provider = "PostgreSql", ConnectionString = bad, Entities = ["contact"] }.WriteTo(_temp.Path);

        var (exitCode, output) = await RunAsync(config);

        exitCode.Should().Be(2, output);
        OneProblem(output).Should().Contain("no_such_database");
        output.Should().NotContain("Sup3r-Secret!");
        _simulator.RequestLog.Query(kind: DataverseSimulator.Requests.RequestKind.Initial).Should().BeEmpty("no data is read when the target cannot take it");
    }

    [Fact]
    public async Task A_bad_setting_is_named_by_its_key()
    {
        var config = new WorkerConfig
        {
            DataverseUrl = _simulator.BaseUrl,
            Provider = "Oracle",
            ConnectionString = $"Data Source={_temp.File("x.db")}",
            Entities = ["contact"],
            Extra = { ["ReportingSync:PollInterval"] = "soon" },
        }.WriteTo(_temp.Path);

        var (exitCode, output) = await RunAsync(config);

        exitCode.Should().Be(2, output);
        output.Should().Contain("ReportingSync:Target:Provider").And.Contain("Oracle");
        output.Should().Contain("ReportingSync:PollInterval").And.Contain("soon");
    }

    [Fact]
    public async Task Two_bad_settings_in_different_option_groups_are_both_named_with_exit_code_2()
    {
        var database = _temp.File("two.db");
        var environment = new Dictionary<string, string>
        {
            ["ReportingSync__PollInterval"] = "-00:00:01",
            ["ReportingSync__Dataverse__PageSize"] = "9000",
        };

        await using var worker = WorkerProcess.Start(environment, "run", "--config", SqliteConfig(database, "contact"), "--once");
        var exitCode = await worker.WaitForExitAsync(Timeout);

        exitCode.Should().Be(2, worker.Output);
        var problems = ConfigurationProblems(worker.Output);
        problems.Should().HaveCount(2, worker.Output);
        problems.Should().ContainSingle(p => p.Contains("ReportingSync:PollInterval") && p.Contains("-00:00:01"));
        problems.Should().ContainSingle(p => p.Contains("ReportingSync:Dataverse:PageSize") && p.Contains("9000"));
        File.Exists(database).Should().BeFalse("a run that cannot start must not leave a database behind");
    }

    /// <summary>
    /// Values the configuration binder cannot even convert ("banana" for a duration) mixed with values that convert
    /// but break a rule, in every option group, from the settings file and the environment: every command that reads the
    /// settings names each of them, key and value, in one list, and exits with 2 without a stack trace.
    /// </summary>
    [Theory]
    [InlineData("run", "--once")]
    [InlineData("status")]
    [InlineData("reconcile", "--all")]
    [InlineData("reseed", "--entity", "contact")]
    public async Task Any_mix_of_bad_settings_is_named_key_and_value_all_at_once(params string[] command)
    {
        var database = _temp.File($"mix-{command[0]}.db");
        var config = new WorkerConfig
        {
            DataverseUrl = _simulator.BaseUrl,
            Provider = "Oracle",
            ConnectionString = $"Data Source={database}",
            Entities = ["contact"],
            Extra =
            {
                ["ReportingSync:PollInterval"] = "banana",
                ["ReportingSync:MaxParallelEntities"] = "0",
                ["ReportingSync:Dataverse:PageSize"] = "9000",
                ["ReportingSync:Reconciliation:Interval"] = "soon",
                ["ReportingSync:Reconciliation:Parallelism"] = "99",
            },
        }.WriteTo(_temp.Path);
        var environment = new Dictionary<string, string>
        {
            ["ReportingSync__Entities__1__Name"] = "account",
            ["ReportingSync__Entities__1__Drift__NewColumns"] = "Sometimes",
            ["ReportingSync__Hints__Enabled"] = "maybe",
            ["ReportingSync__Http__Port"] = "eighty",
        };

        await using var worker = WorkerProcess.Start(environment, [.. command, "--config", config]);
        var exitCode = await worker.WaitForExitAsync(Timeout);

        exitCode.Should().Be(2, worker.Output);
        var problems = ConfigurationProblems(worker.Output);
        foreach (var (key, value) in new[]
        {
            ("ReportingSync:PollInterval", "banana"),
            ("ReportingSync:MaxParallelEntities", "0"),
            ("ReportingSync:Dataverse:PageSize", "9000"),
            ("ReportingSync:Target:Provider", "Oracle"),
            ("ReportingSync:Reconciliation:Interval", "soon"),
            ("ReportingSync:Reconciliation:Parallelism", "99"),
            ("ReportingSync:Entities:1:Drift:NewColumns", "Sometimes"),
            ("ReportingSync:Hints:Enabled", "maybe"),
            ("ReportingSync:Http:Port", "eighty"),
        })
        {
            problems.Should().ContainSingle(p => p.Contains(key + " ") && p.Contains(value), $"{key} = {value} must be named once:\n{worker.Output}");
        }

        problems.Should().HaveCount(9, worker.Output);
        worker.Output.Should().NotContain("Exception").And.NotContain("   at ", "no stack trace");
        File.Exists(database).Should().BeFalse();
    }

    [Fact]
    public async Task Poll_intervals_the_wrong_way_round_and_a_request_budget_of_zero_are_each_named_by_their_key()
    {
        var database = _temp.File("budget.db");
        var config = new WorkerConfig
        {
            DataverseUrl = _simulator.BaseUrl,
            Provider = "Sqlite",
            ConnectionString = $"Data Source={database}",
            Entities = ["contact"],
            PollInterval = null,
            Extra =
            {
                ["ReportingSync:MinPollInterval"] = "00:01:00",
                ["ReportingSync:MaxPollInterval"] = "00:00:10",
                ["ReportingSync:Dataverse:RequestBudgetPerSecond"] = "0",
            },
        }.WriteTo(_temp.Path);

        var (exitCode, output) = await RunAsync(config);

        exitCode.Should().Be(2, output);
        output.Should().Contain("ReportingSync:MaxPollInterval (00:00:10) must not be shorter than ReportingSync:MinPollInterval (00:01:00).")
            .And.Contain("ReportingSync:Dataverse:RequestBudgetPerSecond must be between 0.01 and 1000 requests per second (was 0)");
        File.Exists(database).Should().BeFalse("a run that cannot start must not leave a database behind");
    }

    private string SqliteConfig(string database, params string[] entities) => new WorkerConfig
    {
        DataverseUrl = _simulator.BaseUrl,
        Provider = "Sqlite",
        ConnectionString = $"Data Source={database}",
        Entities = entities,
    }.WriteTo(_temp.Path);

    private static Task<(int ExitCode, string Output)> RunAsync(string config) =>
        WorkerProcess.RunAsync(Timeout, "run", "--config", config, "--once");

    /// <summary>The "Cannot start:" block must list exactly one problem; returns it.</summary>
    private static string OneProblem(string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        var start = lines.FindIndex(l => l.StartsWith("Cannot start:", StringComparison.Ordinal) || l.StartsWith("Configuration error:", StringComparison.Ordinal));
        start.Should().BeGreaterThanOrEqualTo(0, output);
        var problems = lines.Skip(start + 1).TakeWhile(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToList();
        problems.Should().ContainSingle(output);
        return problems[0];
    }

    /// <summary>The lines of the "Configuration error:" list (at most one list may be printed).</summary>
    private static List<string> ConfigurationProblems(string output)
    {
        var lines = output.Split('\n').Select(l => l.TrimEnd()).ToList();
        lines.Count(l => l == "Configuration error:").Should().Be(1, output);
        return lines.SkipWhile(l => l != "Configuration error:").Skip(1).TakeWhile(l => l.StartsWith("  - ", StringComparison.Ordinal)).ToList();
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
