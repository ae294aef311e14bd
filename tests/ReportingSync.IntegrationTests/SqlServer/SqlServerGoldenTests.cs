using System.Text;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Sql.SqlServer;

namespace ReportingSync.IntegrationTests.SqlServer;

/// <summary>
/// Golden files of the T-SQL the SQL Server target sends, for the DQT model (<see cref="DqtReference"/>): CREATE TABLE
/// (standard and DES), the page MERGE, the label view, the metadata upserts and the state statements. No SQL Server runs
/// here, so these files are what a reviewer (or a DBA) checks; regenerate with REPORTINGSYNC_UPDATE_GOLDEN=1.
/// </summary>
public sealed class SqlServerGoldenTests
{
    private static readonly SqlServerSchemaWriter Writer = new("dbo", "reportingsync");

    private static readonly EntitySchema Induction = DqtReference.Schema("dfeta_induction");

    [Fact]
    public void Create_table_for_dfeta_induction()
    {
        GoldenFile.Verify("Golden/dfeta_induction.create.sql", Writer.CreateTable(TableLayout.Create(Induction)) + "\n");
        GoldenFile.Verify(
            "Golden/dfeta_induction.create.des.sql",
            Writer.CreateTable(TableLayout.Create(Induction, options: new LayoutOptions { Compatibility = SchemaCompatibility.Des, SoftDeletes = true })) + "\n");
    }

    [Fact]
    public void Page_statements_for_dfeta_induction()
    {
        var layout = TableLayout.Create(Induction);
        var qualified = Writer.Qualified(layout.TableName);
        var quarantine = Writer.Owned(StateTables.QuarantineTable);
        var text = new StringBuilder()
            .Append("-- stage\n").Append(SqlServerSchemaWriter.CreateStage(layout)).Append("\n\n")
            .Append("-- guarded upsert\n").Append(SqlServerStatements.Merge(qualified, layout)).Append("\n\n")
            .Append("-- bulk load: does any id exist?\n").Append(SqlServerSchemaWriter.CreateKeys()).Append('\n').Append(SqlServerStatements.AnyKeyExists(qualified)).Append("\n\n")
            .Append("-- deletes\n").Append(SqlServerSchemaWriter.CreateDeletes()).Append('\n')
            .Append(SqlServerStatements.HardDelete(qualified)).Append('\n')
            .Append(SqlServerStatements.SoftDelete(qualified)).Append('\n')
            .Append(SqlServerStatements.LogDeletes(Writer.Owned(StateTables.DeleteLogTable))).Append("\n\n")
            .Append("-- quarantine\n").Append(SqlServerStatements.Quarantine(quarantine, qualified)).Append('\n')
            .Append(SqlServerStatements.ReleaseWritten(quarantine, qualified)).Append('\n')
            .Append(SqlServerStatements.ReleaseDeleted(quarantine)).Append("\n\n")
            .Append("-- state compare-and-set, fenced\n").Append(new SqlServerStateStore(Writer).CompareAndSetText(fenced: true)).Append('\n')
            .Append("-- command claim\n").Append(new SqlServerStateStore(Writer).ClaimText(2)).Append('\n');

        GoldenFile.Verify("Golden/dfeta_induction.page.sql", text.ToString());
    }

    [Fact]
    public void Label_view_for_dfeta_induction()
    {
        var layout = TableLayout.Create(Induction);
        var columns = layout.Columns.Select(c => c.Name).Append(SyncColumns.SinkCreatedOn).Append(SyncColumns.SinkModifiedOn).ToList();

        GoldenFile.Verify(
            "Golden/dfeta_induction.labelled.sql",
            Writer.CreateLabelView(layout, layout.TableName, columns, LabelViews.FromSchema(Induction, layout, SqlServerIdentifier.MaxLength)) + "\n");
    }

    [Fact]
    public void Metadata_upserts()
    {
        var text = new StringBuilder();
        foreach (var table in MetadataTables.All)
        {
            var qualified = Writer.Owned(table);
            text.Append("-- ").Append(table.Name).Append('\n')
                .Append(SqlServerStatements.SelectOwnedScope(qualified, table, 2)).Append('\n')
                .Append(SqlServerStatements.InsertOwned(qualified, table)).Append('\n')
                .Append(SqlServerStatements.UpdateOwned(qualified, table)).Append('\n')
                .Append(SqlServerStatements.DeleteOwned(qualified, table)).Append("\n\n");
        }

        GoldenFile.Verify("Golden/metadata.upserts.sql", text.ToString());
    }

    [Fact]
    public void Metadata_rows_for_dfeta_induction()
    {
        var layout = TableLayout.Create(Induction);
        var text = new StringBuilder();
        foreach (var rows in MetadataRows.Build([(Induction, layout)]).Where(r => r.Rows.Count > 0))
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
