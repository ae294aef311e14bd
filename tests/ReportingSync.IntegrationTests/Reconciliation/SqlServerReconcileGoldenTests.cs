using System.Text;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Sql.SqlServer;

namespace ReportingSync.IntegrationTests.Reconciliation;

/// <summary>
/// The T-SQL of reconciliation on SQL Server (no SQL Server runs here): the #temp key stage, the set operations, rows by
/// id, and the run/finding statements, for dfeta_induction with and without soft deletes. Regenerate with
/// REPORTINGSYNC_UPDATE_GOLDEN=1 and read the diff.
/// </summary>
public sealed class SqlServerReconcileGoldenTests
{
    [Fact]
    public async Task Reconcile_statements_for_dfeta_induction()
    {
        var writer = new SqlServerSchemaWriter("dbo", "reportingsync");
        var schema = await DqtModel.SchemaAsync("dfeta_induction");
        var text = new StringBuilder().Append("-- key stage\n").Append(SqlServerTarget.CreateKeyStage()).Append("\n\n");
        foreach (var softDeletes in new[] { false, true })
        {
            var layout = TableLayout.Create(schema, options: new LayoutOptions { SoftDeletes = softDeletes });
            var sql = SqlServerTarget.ReconcileStatements(writer.Qualified(layout.TableName), layout);
            text.Append($"-- soft deletes: {softDeletes}\n")
                .Append("-- suspects\n").Append(sql.Suspects("TOP (@limit) ", "")).Append("\n\n")
                .Append("-- counts\n").Append(sql.Counts()).Append("\n\n")
                .Append("-- rows by id\n").Append(sql.RowsById("IN (@id0, @id1)")).Append("\n\n");
        }

        Func<string, string> q = name => SqlServerIdentifier.Quote(name, "column");
        text.Append("-- runs and findings\n")
            .Append(ReconcileSql.InsertOwned(q, writer.Owned(StateTables.ReconciliationRunTable), StateTables.ReconciliationRunTable, " OUTPUT INSERTED.[Id]", "")).Append('\n')
            .Append(ReconcileSql.UpdateOwned(q, writer.Owned(StateTables.ReconciliationRunTable), StateTables.ReconciliationRunTable)).Append('\n')
            .Append(ReconcileSql.InsertOwned(q, writer.Owned(StateTables.ReconciliationFindingTable), StateTables.ReconciliationFindingTable, "", "")).Append('\n')
            .Append(ReconcileSql.SelectOwned(q, writer.Owned(StateTables.ReconciliationRunTable), StateTables.ReconciliationRunTable, StateTables.EntityName, "TOP (@limit) ", "")).Append('\n');

        GoldenFile.Verify("../SqlServer/Golden/dfeta_induction.reconcile.sql", text.ToString());
    }
}
