using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Sql.SqlServer;

namespace ReportingSync.IntegrationTests.SqlServer;

/// <summary>
/// The real <c>reportingsync</c> executable can use the SQL Server target at all: SqlClient refuses to open connections
/// in globalization-invariant mode, which this repository otherwise builds with. No SQL Server is needed: the worker
/// tries one that is not there and must fail on the connection, not before it.
/// </summary>
public sealed class SqlServerExecutableTests
{
    [Fact]
    public async Task The_worker_reaches_for_SQL_Server_instead_of_refusing_to_run_without_culture_data()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions { Entities = ["contact"], RowCounts = { ["contact"] = 1 } });
        using var directory = new TempDirectory();
        var config = new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = "SqlServer",
            ConnectionString = "Server=tcp:127.0.0.1,1;Database=reporting;User ID=sync;Password=not-a-secret;Connect Timeout=2;Encrypt=false",
            Entities = ["contact"],
        }.WriteTo(directory.Path);

        var (exit, output) = await WorkerProcess.RunAsync(TimeSpan.FromSeconds(60), "run", "--once", "--config", config);

        exit.Should().Be(2, output);
        output.Should().Contain("Cannot start:").And.Contain("127.0.0.1,1").And.NotContain(SqlServerTargetFactory.InvariantGlobalizationError);
        output.Should().NotContain("not-a-secret");
    }
}
