using System.Reflection;
using System.Reflection.Emit;
using Microsoft.Extensions.Logging.Abstractions;
using ReportingSync.IntegrationTests.Operations;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Sql.SqlServer;

namespace ReportingSync.IntegrationTests.SqlServer;

/// <summary>One T-SQL statement the SQL Server dialect can send (or ship as a script), named so a failure says which.</summary>
public sealed record GeneratedStatement(string Category, string Name, string Sql)
{
    public override string ToString() => $"{Category}: {Name}";
}

/// <summary>
/// Every statement the SQL Server dialect can generate, gathered in ONE place so the ScriptDom test (and anything else
/// that wants the dialect's whole surface) does not depend on how ReportingSync.Sql is laid out inside. It calls the
/// same generators <see cref="SqlServerGoldenTests"/> and <c>SqlServerReconcileGoldenTests</c> call; when the dialects
/// move behind one page committer and one state store, only this file changes. Sources:
/// <list type="bullet">
/// <item>per DQT reference table (55) and per compatibility mode (Standard, and Des with soft deletes): CREATE TABLE
/// (live and <c>__reseed</c> shadow), the stage, MERGE, bulk-load key check, deletes, clear, quarantine, row reads,
/// reconciliation, label view, drift ALTERs for every column, and the shadow drop;</item>
/// <item>once: state tables and their upgrade, the state store's statements, metadata upserts, delete log, command
/// claim, reconciliation runs and findings, the key stage;</item>
/// <item>the literal statements written inline in the dialect's code (read from its IL: CHECK's <c>SELECT 1</c>,
/// <c>SET XACT_ABORT ON</c>, <c>sp_getapplock</c>, <c>sp_rename</c>, catalog queries);</item>
/// <item><c>schema script --provider SqlServer</c> for all 55 tables in both modes, and every file in <c>sql/sqlserver</c>.</item>
/// </list>
/// Not reachable without a server: statements composed inside a method from interpolated parts (the stored-metadata
/// lookup for label views); their parts are covered by the generators above.
/// </summary>
public static class GeneratedTSql
{
    public const string Tables = "table DDL";
    public const string Page = "page commit";
    public const string Reseed = "re-seed and swap";
    public const string Drift = "drift";
    public const string Metadata = "metadata upserts";
    public const string Reconcile = "reconciliation";
    public const string State = "state tables";
    public const string Inline = "inline statements";
    public const string Scripts = "scripts";

    public static readonly string[] Categories = [Tables, Page, Reseed, Drift, Metadata, Reconcile, State, Inline, Scripts];

    private static readonly SqlServerSchemaWriter Writer = new("dbo", "reportingsync");

    private static readonly Lazy<Task<IReadOnlyList<GeneratedStatement>>> Lazy = new(GatherAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>All statements (built once per test process).</summary>
    public static Task<IReadOnlyList<GeneratedStatement>> AllAsync() => Lazy.Value;

    private static readonly LayoutOptions[] Modes =
    [
        new() { Compatibility = SchemaCompatibility.Standard },
        new() { Compatibility = SchemaCompatibility.Des, SoftDeletes = true },
    ];

    private static async Task<IReadOnlyList<GeneratedStatement>> GatherAsync()
    {
        var all = new List<GeneratedStatement>();
        var schemas = await DqtModel.AllAsync();
        foreach (var mode in Modes)
        {
            foreach (var schema in schemas)
            {
                all.AddRange(PerTable(schema, TableLayout.Create(schema, options: mode)));
            }

            var entities = schemas.Select(s => (s, TableLayout.Create(s, options: mode))).ToList();
            all.Add(new(Scripts, $"schema script --provider SqlServer ({mode.Compatibility}, 55 tables)",
                SchemaScript.Generate(TargetProvider.SqlServer, new TargetOptions(), entities, SchemaScriptParts.All)));
        }

        all.AddRange(Once());
        all.AddRange(InlineLiterals());
        foreach (var file in Directory.GetFiles(RepositoryFiles.Path("sql", "sqlserver"), "*.sql").Order(StringComparer.Ordinal))
        {
            all.Add(new(Scripts, "sql/sqlserver/" + Path.GetFileName(file), await File.ReadAllTextAsync(file)));
        }

        return all;
    }

    private static IEnumerable<GeneratedStatement> PerTable(EntitySchema schema, TableLayout layout)
    {
        var mode = layout.Options.Compatibility + (layout.Options.SoftDeletes ? ", soft deletes" : "");
        var name = $"{layout.EntityName} ({mode})";
        var qualified = Writer.Qualified(layout.TableName);
        var quarantine = Writer.Owned(StateTables.QuarantineTable);

        yield return new(Tables, "CREATE TABLE " + name, Writer.CreateTable(layout));

        yield return new(Page, "stage " + name, SqlServerSchemaWriter.CreateStage(layout));
        yield return new(Page, "MERGE " + name, SqlServerStatements.Merge(qualified, layout));
        yield return new(Page, "any key exists " + name, SqlServerStatements.AnyKeyExists(qualified));
        yield return new(Page, "hard delete " + name, SqlServerStatements.HardDelete(qualified));
        yield return new(Page, "soft delete " + name, SqlServerStatements.SoftDelete(qualified));
        yield return new(Page, "clear table " + name, SqlServerStatements.ClearTable(qualified));
        yield return new(Page, "quarantine " + name, SqlServerStatements.Quarantine(quarantine, qualified));
        yield return new(Page, "release written " + name, SqlServerStatements.ReleaseWritten(quarantine, qualified));
        yield return new(Page, "count " + name, SqlServerStatements.Count(qualified));
        yield return new(Page, "select rows " + name, SqlServerStatements.SelectRows(qualified, layout));

        yield return new(Reseed, "drop shadow " + name, Writer.DropTable(layout.ShadowTableName, layout.EntityName));
        yield return new(Reseed, "CREATE shadow TABLE " + name, Writer.CreateTable(layout, layout.ShadowTableName));
        yield return new(Reseed, "select shadow rows " + name, SqlServerStatements.SelectRows(Writer.Qualified(layout.ShadowTableName), layout));
        yield return new(Reseed, "drop live table " + name, Writer.DropTable(layout.TableName, layout.EntityName));
        yield return new(Reseed, "drop label view " + name, Writer.DropLabelView(layout));
        if (LabelViews.ViewName(layout).Length <= SqlServerIdentifier.MaxLength)
        {
            var columns = layout.Columns.Select(c => c.Name).Append(SyncColumns.SinkCreatedOn).Append(SyncColumns.SinkModifiedOn).ToList();
            yield return new(Reseed, "CREATE VIEW " + name,
                Writer.CreateLabelView(layout, layout.TableName, columns, LabelViews.FromSchema(schema, layout, SqlServerIdentifier.MaxLength)));
        }

        foreach (var column in layout.Columns.Where(c => c.Name != SyncColumns.Id))
        {
            yield return new(Drift, $"add {layout.EntityName}.{column.Name} ({mode})", Writer.AddColumn(layout.TableName, column, layout));
            yield return new(Drift, $"widen {layout.EntityName}.{column.Name} ({mode})", Writer.WidenColumn(layout.TableName, column, layout));
            yield return new(Drift, $"drop {layout.EntityName}.{column.Name} ({mode})", Writer.DropColumn(layout.TableName, column.Name, layout.EntityName));
        }

        var reconcile = SqlServerTarget.ReconcileStatements(qualified, layout);
        yield return new(Reconcile, "differences " + name, reconcile.Differences());
        yield return new(Reconcile, "suspects " + name, reconcile.Suspects("TOP (@limit) ", ""));
        yield return new(Reconcile, "counts " + name, reconcile.Counts());
        yield return new(Reconcile, "counts without kinds " + name, reconcile.Counts(withKinds: false));
        yield return new(Reconcile, "rows by id " + name, reconcile.RowsById("IN (@id0, @id1)"));
    }

    private static IEnumerable<GeneratedStatement> Once()
    {
        yield return new(Page, "keys stage", SqlServerSchemaWriter.CreateKeys());
        yield return new(Page, "deletes stage", SqlServerSchemaWriter.CreateDeletes());
        yield return new(Page, "log deletes", SqlServerStatements.LogDeletes(Writer.Owned(StateTables.DeleteLogTable)));
        yield return new(Page, "release deleted", SqlServerStatements.ReleaseDeleted(Writer.Owned(StateTables.QuarantineTable)));

        foreach (var (statement, i) in Writer.CreateStateTables().Select((s, i) => (s, i)))
        {
            yield return new(State, $"state DDL #{i + 1}", statement);
        }

        // The state store keeps its statements in fields (built once per target); every string field is one of them.
        var store = new SqlServerStateStore(Writer);
        foreach (var field in typeof(SqlServerStateStore).GetFields(BindingFlags.Instance | BindingFlags.NonPublic).Where(f => f.FieldType == typeof(string)))
        {
            var text = (string)field.GetValue(store)!;
            yield return new(State, "state store " + field.Name, text.Contains("{0}", StringComparison.Ordinal) ? store.ClaimText(2) : text);
        }

        yield return new(State, "compare-and-set", store.CompareAndSetText(fenced: false));
        yield return new(State, "compare-and-set, fenced", store.CompareAndSetText(fenced: true));

        foreach (var table in MetadataTables.All)
        {
            var qualified = Writer.Owned(table);
            yield return new(Metadata, "select scope " + table.Name, SqlServerStatements.SelectOwnedScope(qualified, table, 3));
            // Rows go several per request, each statement with its own parameter prefix.
            var insert = string.Join("\n", Enumerable.Range(0, 3).Select(r => SqlServerStatements.InsertOwned(qualified, table, $"r{r}_")));
            yield return new(Metadata, "insert " + table.Name, insert);
            yield return new(Metadata, "update " + table.Name, SqlServerStatements.UpdateOwned(qualified, table, "r0_"));
            yield return new(Metadata, "delete " + table.Name, SqlServerStatements.DeleteOwned(qualified, table, "r0_"));
        }

        yield return new(Reconcile, "key stage", SqlServerTarget.CreateKeyStage());
        var target = new SqlServerTarget("Server=unused", Writer, TimeProvider.System, NullLogger.Instance, "unused", null);
        yield return new(Reconcile, "start run", target.StartRunText());
        yield return new(Reconcile, "finish run", target.FinishRunText());
        yield return new(Reconcile, "insert finding", target.InsertFindingText());
        Func<string, string> q = n => SqlServerIdentifier.Quote(n, "column");
        yield return new(Reconcile, "select runs", ReconcileSql.SelectOwned(
            q, Writer.Owned(StateTables.ReconciliationRunTable), StateTables.ReconciliationRunTable, StateTables.EntityName, "TOP (@limit) ", ""));
        yield return new(Reconcile, "select findings", ReconcileSql.SelectOwned(
            q, Writer.Owned(StateTables.ReconciliationFindingTable), StateTables.ReconciliationFindingTable, "RunId", "TOP (@limit) ", ""));
    }

    /// <summary>
    /// Complete statements written as literals in the dialect's methods (a string the compiler emits whole with
    /// <c>ldstr</c>, starting with a T-SQL verb and ending with ';'), read from the IL of every type in its namespace.
    /// </summary>
    private static IEnumerable<GeneratedStatement> InlineLiterals()
    {
        var verbs = new[] { "SELECT ", "INSERT ", "UPDATE ", "DELETE ", "MERGE ", "EXEC ", "SET ", "IF ", "CREATE ", "DROP ", "ALTER " };
        var assembly = typeof(SqlServerTarget).Assembly;
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var type in assembly.GetTypes().Where(t => t.Namespace == typeof(SqlServerTarget).Namespace))
        {
            const BindingFlags all = BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
            {
                foreach (var literal in StringLiterals(method))
                {
                    if (verbs.Any(v => literal.StartsWith(v, StringComparison.Ordinal)) && literal.TrimEnd().EndsWith(';'))
                    {
                        found.Add(literal);
                    }
                }
            }
        }

        return found.Select(sql => new GeneratedStatement(Inline, sql.Length > 60 ? sql[..60] + "…" : sql, sql));
    }

    private static IEnumerable<string> StringLiterals(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return [];
        }

        var literals = new List<string>();
        for (var i = 0; i < il.Length; i++)
        {
            // ldstr is 0x72 followed by a 4-byte string token (0x70xxxxxx); a byte-wise scan can land inside another
            // operand, so only tokens that resolve to a user string count.
            if (il[i] == OpCodes.Ldstr.Value && i + 4 < il.Length && il[i + 4] == 0x70)
            {
                try
                {
                    literals.Add(method.Module.ResolveString(BitConverter.ToInt32(il, i + 1)));
                    i += 4;
                }
                catch (ArgumentException)
                {
                }
            }
        }

        return literals;
    }
}
