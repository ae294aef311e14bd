using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Sql.SqlServer;

namespace ReportingSync.IntegrationTests.SqlServer;

/// <summary>
/// Every statement the SQL Server dialect sends, by name, taken from the same code the target runs: the golden files
/// print them and the T-SQL parse test parses them. No SQL Server runs here, so these are what a reviewer checks.
/// </summary>
internal static class SqlServerStatementCatalog
{
    public static SqlServerDialect Dialect { get; } = new("dbo", "reportingsync", "", null);

    public static DdlSql Ddl { get; } = new(Dialect);

    private static EntitySql Entity { get; } = new(Dialect);

    private static StateSql State { get; } = new(Dialect);

    /// <summary>A page commit into <paramref name="layout"/>'s table: stage, guarded upsert, bulk-load check, deletes, quarantine.</summary>
    public static IEnumerable<(string Name, string Sql)> Page(TableLayout layout)
    {
        var qualified = Dialect.Table(layout.TableName, layout.EntityName);
        var ids = Dialect.Ids;
        yield return ("stage", Dialect.CreateStage(layout));
        yield return ("guarded upsert", Entity.Upsert(layout, qualified, SqlServerDialect.Stage));
        yield return ("bulk load: does any id exist?", Dialect.CreateKeys() + "\n" + Dialect.AnyKeyExists(qualified));
        yield return ("id list", Dialect.CreateIds());
        yield return ("hard delete", Entity.HardDelete(qualified, ids));
        yield return ("soft delete", Entity.SoftDelete(qualified, ids));
        yield return ("delete log", State.LogDeletes(ids));
        yield return ("a seed that starts over empties its table in the page's transaction", Entity.Clear(qualified));
        yield return ("quarantine", State.Quarantine(qualified));
        yield return ("quarantine: release written", State.ReleaseWritten(qualified));
        yield return ("quarantine: release deleted", State.ReleaseDeleted(ids));
        yield return ("rows in id order", Entity.SelectRows(qualified, layout));
        yield return ("count", Entity.Count(qualified));
    }

    /// <summary>The state row, leases, seed ranges, history and commands.</summary>
    public static IEnumerable<(string Name, string Sql)> StateRows()
    {
        yield return ("state compare-and-set", State.CompareAndSet);
        yield return ("state compare-and-set, fenced by the lease", State.CompareAndSetFenced);
        yield return ("state insert if missing", State.InsertIfMissing);
        yield return ("lease acquire", State.AcquireLease);
        yield return ("lease release", State.ReleaseLease);
        yield return ("lease held", State.LeaseHeld);
        yield return ("history append", State.AppendHistory);
        yield return ("schema change append", State.AppendSchemaChange);
        yield return ("seed ranges: select", State.SelectRanges + ";");
        yield return ("seed ranges: delete", State.DeleteRanges);
        yield return ("seed ranges: insert", State.InsertRange);
        yield return ("seed ranges: update", State.UpdateRange);
        yield return ("quarantine load", State.LoadQuarantine);
        yield return ("command enqueue", State.Enqueue);
        yield return ("commands open", State.OpenCommands);
        yield return ("command get", State.GetCommand);
        yield return ("commands claim", State.ClaimCommands(2));
        yield return ("commands finish", State.FinishCommands(2));
        yield return ("re-seed commands complete at the swap", State.CompleteRunningReseeds);
        yield return ("worker report replace", State.UpsertWorker);
        yield return ("worker reports", State.SelectWorkers);
        yield return ("worker reports: drop those of replicas gone for a day", State.DropStaleWorkers);
    }

    /// <summary>Re-seeds: the shadow table and the swap.</summary>
    public static IEnumerable<(string Name, string Sql)> Shadow(TableLayout layout)
    {
        yield return ("shadow: drop", Ddl.DropTable(layout.ShadowTableName, layout.EntityName));
        yield return ("shadow: create", Ddl.CreateTable(layout, layout.ShadowTableName));
        yield return ("swap: label view drop", Ddl.DropLabelView(layout));
        yield return ("swap: primary key of the shadow", SqlServerDialect.PrimaryKeyOf);
        yield return ("swap: live table drop", Ddl.DropTable(layout.TableName, layout.EntityName));
        yield return ("swap: rename", SqlServerDialect.Rename);
    }
}
