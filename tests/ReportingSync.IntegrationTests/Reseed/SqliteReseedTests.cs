using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Reseed;

public sealed class SqliteReseedTests(ITestOutputHelper output) : ReseedScenarios(output)
{
    protected override string Provider => "Sqlite";

    protected override Task<string> CreateTargetAsync() => Task.FromResult($"Data Source={Temp.File("replica.db")}");
}
