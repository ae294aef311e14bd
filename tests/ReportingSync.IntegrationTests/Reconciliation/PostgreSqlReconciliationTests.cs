using System.Data.Common;
using Npgsql;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.Reconciliation;

public sealed class PostgreSqlReconciliationTests : ReconciliationScenarios
{
    protected override string Provider => "PostgreSql";

    protected override async Task<string> CreateTargetAsync() => await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();

    protected override string UnreachableTarget() => "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Timeout=2";

    protected override DbConnection Connect(string connectionString) => new NpgsqlConnection(connectionString);

    protected override object Id(Guid id) => id;
}
