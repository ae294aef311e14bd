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
        var dialect = SqlServer.SqlServerStatementCatalog.Dialect;
        var schema = await DqtModel.SchemaAsync("dfeta_induction");
        var text = new StringBuilder().Append("-- key stage\n").Append(string.Join("\n", dialect.CreateKeyStage())).Append("\n\n");
        foreach (var softDeletes in new[] { false, true })
        {
            var layout = TableLayout.Create(schema, options: new LayoutOptions { SoftDeletes = softDeletes });
            var sql = new ReconcileSql(dialect, dialect.Table(layout.TableName), layout);
            text.Append($"-- soft deletes: {softDeletes}\n")
                .Append("-- suspects\n").Append(sql.Suspects()).Append("\n\n")
                .Append("-- counts\n").Append(sql.Counts()).Append("\n\n")
                .Append("-- rows by id\n").Append(sql.RowsById(dialect.Ids)).Append("\n\n");
        }

        var owned = new OwnedSql(dialect);
        text.Append("-- runs and findings\n")
            .Append(owned.InsertReturningId(dialect.Owned(StateTables.ReconciliationRunTable), StateTables.ReconciliationRunTable)).Append('\n')
            .Append(owned.UpdateById(dialect.Owned(StateTables.ReconciliationRunTable), StateTables.ReconciliationRunTable)).Append('\n')
            .Append(owned.Insert(dialect.Owned(StateTables.ReconciliationFindingTable), StateTables.ReconciliationFindingTable)).Append('\n')
            .Append(owned.SelectNewest(dialect.Owned(StateTables.ReconciliationRunTable), StateTables.ReconciliationRunTable, StateTables.EntityName, limited: true)).Append('\n')
            .Append("-- key stage drop\n").Append(dialect.DropKeyStage).Append('\n');

        GoldenFile.Verify("../SqlServer/Golden/dfeta_induction.reconcile.sql", text.ToString());
    }
}
