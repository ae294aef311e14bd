using System.Reflection;
using System.Reflection.Emit;
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
/// same generators <see cref="SqlServerGoldenTests"/> and <c>SqlServerReconcileGoldenTests</c> call, mostly through
/// <see cref="SqlServerStatementCatalog"/>. Sources:
/// <list type="bullet">
/// <item>per DQT reference table (55) and per compatibility mode (Standard, and Des with soft deletes): CREATE TABLE
/// (live and <c>__reseed</c> shadow), the stage, MERGE, bulk-load key check, deletes, clear, quarantine, row reads,
/// reconciliation, label view, drift ALTERs for every column (add, widen, retype, drop), and the swap that applies the
/// shadow to the live table;</item>
/// <item>what keeps analysts' objects through DDL: the catalog queries, the statements that put objects back, and
/// examples of the statements those queries write server-side;</item>
/// <item>once: state tables and their upgrade, the state store's statements, metadata upserts, delete log, command
/// claim, reconciliation runs and findings, the key stage;</item>
/// <item>the literal statements written inline in the dialect's code (read from its IL: CHECK's <c>SELECT 1</c>,
/// <c>SET XACT_ABORT ON</c>, <c>sp_getapplock</c>, catalog queries);</item>
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

    private static SqlServerDialect Dialect => SqlServerStatementCatalog.Dialect;

    private static DdlSql Writer => SqlServerStatementCatalog.Ddl;

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
        var qualified = Dialect.Table(layout.TableName);

        yield return new(Tables, "CREATE TABLE " + name, Writer.CreateTable(layout));
        foreach (var (step, sql) in SqlServerStatementCatalog.Page(layout))
        {
            yield return new(Page, $"{step} {name}", sql);
        }

        foreach (var (step, sql) in SqlServerStatementCatalog.Shadow(layout))
        {
            yield return new(Reseed, $"{step} {name}", sql);
        }

        foreach (var (step, sql) in SqlServerStatementCatalog.History(layout))
        {
            yield return new(Page, $"{step} {name}", sql);
        }

        yield return new(Reseed, "select shadow rows " + name, new EntitySql(Dialect).SelectRows(Dialect.Table(layout.ShadowTableName), layout));
        if (Dialect.Fits(LabelViews.ViewName(layout)))
        {
            var columns = layout.Columns.Select(c => c.Name).Append(SyncColumns.SinkCreatedOn).Append(SyncColumns.SinkModifiedOn).ToList();
            yield return new(Reseed, "CREATE VIEW " + name,
                Writer.CreateLabelView(layout, layout.TableName, columns, LabelViews.FromSchema(schema, layout, Dialect.MaxIdentifierLength)));
        }

        foreach (var column in layout.Columns.Where(c => c.Name != SyncColumns.Id))
        {
            yield return new(Drift, $"add {layout.EntityName}.{column.Name} ({mode})", Writer.AddColumn(layout.TableName, column, layout));
            yield return new(Drift, $"widen {layout.EntityName}.{column.Name} ({mode})", Writer.WidenColumn(layout.TableName, column, layout)!);
            yield return new(Drift, $"retype {layout.EntityName}.{column.Name} ({mode})", string.Join("\n", Writer.RetypeColumn(layout.TableName, column, layout)!));
            yield return new(Drift, $"drop {layout.EntityName}.{column.Name} ({mode})", Writer.DropColumn(layout.TableName, column.Name, layout.EntityName));
        }

        var reconcile = new ReconcileSql(Dialect, qualified, layout);
        yield return new(Reconcile, "differences " + name, reconcile.Differences());
        yield return new(Reconcile, "suspects " + name, reconcile.Suspects());
        yield return new(Reconcile, "counts " + name, reconcile.Counts());
        yield return new(Reconcile, "counts without kinds " + name, reconcile.Counts(withKinds: false));
        yield return new(Reconcile, "rows by id " + name, reconcile.RowsById(Dialect.Ids));
    }

    private static IEnumerable<GeneratedStatement> Once()
    {
        foreach (var (statement, i) in Writer.CreateStateTables().Select((s, i) => (s, i)))
        {
            yield return new(State, $"state DDL #{i + 1}", statement);
        }

        foreach (var statement in Dialect.CreateSchemaStatements().Concat(Dialect.UpgradeScript(StateTables.EntityStateTable, StateTables.EntityStateAddedColumns)))
        {
            yield return new(State, "schemas and upgrade", statement);
        }

        foreach (var (step, sql) in SqlServerStatementCatalog.StateRows())
        {
            yield return new(State, step, sql);
        }

        foreach (var (step, sql) in SqlServerStatementCatalog.Dependents())
        {
            yield return new(Reseed, step, sql);
        }

        var owned = new OwnedSql(Dialect);
        foreach (var table in MetadataTables.All)
        {
            var qualified = Dialect.Owned(table);
            yield return new(Metadata, "select scope " + table.Name, owned.SelectScope(qualified, table, 3));
            // Rows go several per request, each statement with its own parameter prefix.
            var insert = string.Join("\n", Enumerable.Range(0, 3).Select(r => owned.Insert(qualified, table, $"r{r}_")));
            yield return new(Metadata, "insert " + table.Name, insert);
            yield return new(Metadata, "update " + table.Name, owned.Update(qualified, table, "r0_"));
            yield return new(Metadata, "delete " + table.Name, owned.Delete(qualified, table, "r0_"));
        }

        foreach (var statement in Dialect.CreateKeyStage())
        {
            yield return new(Reconcile, "key stage", statement);
        }

        yield return new(Reconcile, "key stage drop", Dialect.DropKeyStage);
        var runs = StateTables.ReconciliationRunTable;
        var findings = StateTables.ReconciliationFindingTable;
        yield return new(Reconcile, "start run", owned.InsertReturningId(Dialect.Owned(runs), runs));
        yield return new(Reconcile, "finish run", owned.UpdateById(Dialect.Owned(runs), runs));
        yield return new(Reconcile, "insert finding", owned.Insert(Dialect.Owned(findings), findings));
        yield return new(Reconcile, "select runs", owned.SelectNewest(Dialect.Owned(runs), runs, StateTables.EntityName, limited: true));
        yield return new(Reconcile, "select findings", owned.SelectNewest(Dialect.Owned(findings), findings, "RunId", limited: false));
    }

    /// <summary>
    /// Complete statements written as literals in the dialect's methods (a string the compiler emits whole with
    /// <c>ldstr</c>, starting with a T-SQL verb and ending with ';'), read from the IL of every type in its namespace.
    /// </summary>
    private static IEnumerable<GeneratedStatement> InlineLiterals()
    {
        var verbs = new[] { "SELECT ", "INSERT ", "UPDATE ", "DELETE ", "MERGE ", "EXEC ", "SET ", "IF ", "CREATE ", "DROP ", "ALTER " };
        var assembly = typeof(SqlServerDialect).Assembly;
        var found = new SortedSet<string>(StringComparer.Ordinal);
        string?[] namespaces = [typeof(SqlServerDialect).Namespace, typeof(SqlTarget).Namespace];
        foreach (var type in assembly.GetTypes().Where(t => namespaces.Contains(t.Namespace)))
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
