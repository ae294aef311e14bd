using System.Text;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Sql.SqlServer;

namespace ReportingSync.IntegrationTests.SqlServer;

/// <summary>
/// Golden files of the T-SQL the SQL Server target sends, for the DQT model (<see cref="DqtReference"/>): CREATE TABLE
/// (standard and DES), the page MERGE, the label view, the metadata upserts and the state statements. The schema is read from the simulator
/// (<see cref="DqtModel"/>). No SQL Server runs here, so these files are what a reviewer (or a DBA) checks; regenerate with REPORTINGSYNC_UPDATE_GOLDEN=1.
/// </summary>
public sealed class SqlServerGoldenTests
{
    private static readonly DdlSql Writer = SqlServerStatementCatalog.Ddl;

    /// <summary>dfeta_induction as the simulator serves it and the Dataverse client reads it (<see cref="DqtModel"/>).</summary>
    private static Task<EntitySchema> InductionAsync() => DqtModel.SchemaAsync("dfeta_induction");

    [Fact]
    public async Task Create_table_for_dfeta_induction()
    {
        var induction = await InductionAsync();
        GoldenFile.Verify("Golden/dfeta_induction.create.sql", Writer.CreateTable(TableLayout.Create(induction)) + "\n");
        GoldenFile.Verify(
            "Golden/dfeta_induction.create.des.sql",
            Writer.CreateTable(TableLayout.Create(induction, options: new LayoutOptions { Compatibility = SchemaCompatibility.Des, SoftDeletes = true })) + "\n");
    }

    [Fact]
    public async Task Page_statements_for_dfeta_induction()
    {
        var layout = TableLayout.Create(await InductionAsync());
        GoldenFile.Verify("Golden/dfeta_induction.page.sql", Render(SqlServerStatementCatalog.Page(layout)));
    }

    [Fact]
    public async Task History_statements_for_dfeta_induction()
    {
        var layout = TableLayout.Create(await InductionAsync(), options: new LayoutOptions { History = true });
        GoldenFile.Verify("Golden/dfeta_induction.history.sql", Render(SqlServerStatementCatalog.History(layout)));
    }

    [Fact]
    public async Task State_and_shadow_statements()
    {
        var layout = TableLayout.Create(await InductionAsync());
        GoldenFile.Verify("Golden/state.sql", Render(SqlServerStatementCatalog.StateRows().Concat(SqlServerStatementCatalog.Shadow(layout))));
    }

    [Fact]
    public void Statements_that_keep_analysts_objects_through_DDL() =>
        GoldenFile.Verify("Golden/dependents.sql", Render(SqlServerStatementCatalog.Dependents()));

    private static string Render(IEnumerable<(string Name, string Sql)> statements) =>
        string.Concat(statements.Select(s => $"-- {s.Name}\n{s.Sql}\n\n"));

    [Fact]
    public async Task Label_view_for_dfeta_induction()
    {
        var induction = await InductionAsync();
        var layout = TableLayout.Create(induction);
        var columns = layout.Columns.Select(c => c.Name).Append(SyncColumns.SinkCreatedOn).Append(SyncColumns.SinkModifiedOn).ToList();

        GoldenFile.Verify(
            "Golden/dfeta_induction.labelled.sql",
            Writer.CreateLabelView(layout, layout.TableName, columns, LabelViews.FromSchema(induction, layout, SqlServerDialect.Identifiers.MaxLength)) + "\n");
    }

    [Fact]
    public void Metadata_upserts()
    {
        var text = new StringBuilder();
        foreach (var table in MetadataTables.All)
        {
            var qualified = SqlServerStatementCatalog.Dialect.Owned(table);
            var owned = new OwnedSql(SqlServerStatementCatalog.Dialect);
            text.Append("-- ").Append(table.Name).Append('\n')
                .Append(owned.SelectScope(qualified, table, 2)).Append('\n')
                .Append(owned.Insert(qualified, table)).Append('\n')
                .Append(owned.Update(qualified, table)).Append('\n')
                .Append(owned.Delete(qualified, table)).Append("\n\n");
        }

        GoldenFile.Verify("Golden/metadata.upserts.sql", text.ToString());
    }

    [Fact]
    public async Task Metadata_rows_for_dfeta_induction()
    {
        var induction = await InductionAsync();
        var layout = TableLayout.Create(induction);
        var text = new StringBuilder();
        foreach (var rows in MetadataRows.Build([(induction, layout)]).Where(r => r.Rows.Count > 0))
        {
            text.Append("-- ").Append(rows.Table.Name).Append(" (").Append(string.Join(", ", rows.Table.Writable.Select(c => c.Name))).Append(")\n");
            foreach (var row in rows.Rows)
            {
                text.Append(string.Join(" | ", row.Select(v => v switch { null => "NULL", Guid => "<id>", _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) }))).Append('\n');
            }

            text.Append('\n');
        }

        GoldenFile.Verify("Golden/dfeta_induction.metadata-rows.txt", text.ToString());
    }
}
