using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace ReportingSync.IntegrationTests.Reconciliation;

public sealed class SqliteReconciliationTests : ReconciliationScenarios
{
    protected override string Provider => "Sqlite";

    protected override Task<string> CreateTargetAsync() => Task.FromResult($"Data Source={Temp.File($"replica-{Guid.NewGuid():N}.db")}");

    protected override string UnreachableTarget() => $"Data Source={Temp.File("no/such/folder/replica.db")}";

    protected override DbConnection Connect(string connectionString) => new SqliteConnection(connectionString);

    protected override object Id(Guid id) => id.ToString("D");
}
