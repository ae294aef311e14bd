using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Reseed;

public sealed class PostgreSqlReseedTests(ITestOutputHelper output) : ReseedScenarios(output)
{
    protected override string Provider => "PostgreSql";

    protected override async Task<string> CreateTargetAsync() => await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();
}
