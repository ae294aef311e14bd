using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.EndToEnd;

public sealed class SqliteReplicationTests(ITestOutputHelper output) : ReplicationScenarios(output)
{
    protected override string Provider => "Sqlite";

    protected override Task<string> CreateTargetAsync() => Task.FromResult($"Data Source={Temp.File("replica.db")}");
}
