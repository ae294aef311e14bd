using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.EndToEnd;

public sealed class PostgreSqlReplicationTests(ITestOutputHelper output) : ReplicationScenarios(output)
{
    protected override string Provider => "PostgreSql";

    protected override async Task<string> CreateTargetAsync() => await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();
}
