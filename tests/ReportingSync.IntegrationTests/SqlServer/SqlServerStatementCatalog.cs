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

    /// <summary>History mode: the history table, the versions a page or a swap records, pruning, the check, a kept column.</summary>
    public static IEnumerable<(string Name, string Sql)> History(TableLayout layout)
    {
        var history = new HistorySql(Dialect);
        var live = Dialect.Table(layout.TableName, layout.EntityName);
        var shadow = Dialect.Table(layout.ShadowTableName, layout.EntityName);
        yield return ("history: create", history.CreateTable(layout));
        foreach (var (step, sql) in new[] { "versions", "deletes", "chain" }.Zip(history.Record(layout, live, Dialect.Ids)))
        {
            yield return ($"history: a page's {step}", sql);
        }

        // A page with history stages its ids once, deletes first; its deletes take the head of that list.
        var deletes = Dialect.Head(Dialect.Ids, 2);
        yield return ("history: a page's hard delete", Entity.HardDelete(live, deletes));
        yield return ("history: a page's soft delete", Entity.SoftDelete(live, deletes));
        yield return ("history: a page's delete log", State.LogDeletes(deletes));
        yield return ("history: a page's deletes released from quarantine", State.ReleaseDeleted(deletes));

        foreach (var (step, sql) in new[] { "open versions filled", "versions", "deletes", "chain" }.Zip(history.Record(layout, shadow, ids: null)))
        {
            yield return ($"history: the swap's {step}", sql);
        }

        yield return ("history: prune a batch", history.Prune(layout));
        yield return ("history: reconciliation check", history.Check(layout, live));
        yield return ("history: a retyped column keeps its old values", Dialect.RenameColumn(Dialect.Table(layout.HistoryTableName, layout.EntityName), Dialect.Quote("dfeta_name"), "dfeta_name__before_20261202000000"));
    }

    /// <summary>Re-seeds: the shadow table and the swap, which applies the shadow to the live table (it keeps its identity).</summary>
    public static IEnumerable<(string Name, string Sql)> Shadow(TableLayout layout)
    {
        var live = Dialect.Table(layout.TableName, layout.EntityName);
        var shadow = Dialect.Table(layout.ShadowTableName, layout.EntityName);
        yield return ("shadow: drop", Ddl.DropTable(layout.ShadowTableName, layout.EntityName));
        yield return ("shadow: create", Ddl.CreateTable(layout, layout.ShadowTableName));
        yield return ("swap: rows the re-seed did not find", Entity.DeleteMissing(live, shadow));
        yield return ("swap: rows the re-seed did not find, with soft deletes", Entity.SoftDeleteMissing(live, shadow));
        yield return ("swap: the shadow's new and changed rows", Entity.ApplyShadow(layout, live, shadow));
        yield return ("swap: soft deletes flag added to a table made without it", Ddl.AddIsDeleted(layout.TableName, layout.EntityName));
        yield return ("label view drop (around DDL)", Ddl.DropLabelView(layout));
    }

    /// <summary>
    /// What keeps analysts' objects through DDL (<see cref="SqlServerDependents"/>): the catalog queries (for one altered
    /// column and for none, a label view refresh), the statements that put objects back, and, as examples, the shapes of
    /// the statements the catalog queries write server-side (GRANT / DENY, DROP VIEW, masks).
    /// </summary>
    public static IEnumerable<(string Name, string Sql)> Dependents()
    {
        yield return ("dependents: what blocks ALTER COLUMN (two altered columns)", SqlServerDependents.Blockers(2));
        yield return ("dependents: masks to drop and add again (one column)", SqlServerDependents.Masks(1));
        yield return ("dependents: schema-bound objects on the columns or the label view (one column)", SqlServerDependents.Bound(1));
        yield return ("dependents: schema-bound objects on the label view (a label view refresh)", SqlServerDependents.Bound(0));
        yield return ("dependents: views to refresh", SqlServerDependents.PlainViews);
        yield return ("dependents: permissions as statements", SqlServerDependents.Permissions);
        yield return ("dependents: extended properties", SqlServerDependents.ExtendedProperties);
        yield return ("re-create: a view from its stored definition", SqlServerDependents.CreateFromDefinition);
        yield return ("re-create: an extended property", SqlServerDependents.AddExtendedProperty);
        yield return ("re-create: refresh a view that is not schema-bound", SqlServerDependents.RefreshView);
        yield return ("example of a written statement: drop a schema-bound view", "DROP VIEW [dbo].[analyst_contacts];");
        yield return ("example of a written statement: a column permission", "GRANT SELECT ON OBJECT::[dbo].[analyst_contacts] ([age]) TO [powerbi_reader] WITH GRANT OPTION;");
        yield return ("example of a written statement: a denial", "DENY SELECT ON OBJECT::[dbo].[analyst_contacts] TO [intern];");
        yield return ("example of a written statement: drop a mask", "ALTER TABLE [dbo].[contact] ALTER COLUMN [birthdate] DROP MASKED;");
        yield return ("example of a written statement: add the mask again",
            "ALTER TABLE [dbo].[contact] ALTER COLUMN [birthdate] ADD MASKED WITH (FUNCTION = N'partial(1, \"x\", 1)');");
    }
}
