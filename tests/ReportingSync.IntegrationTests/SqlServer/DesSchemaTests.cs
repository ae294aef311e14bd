using System.Text.RegularExpressions;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Sql.SqlServer;

namespace ReportingSync.IntegrationTests.SqlServer;

/// <summary>
/// Issue 3's acceptance: in DES mode, the CREATE TABLE the SQL Server writer generates for the 55 DQT reporting tables
/// matches <c>dqt-reporting-tables.json</c> column for column: every column the Data Export Service created is there,
/// with its exact type, and nothing else but the two sync columns. The metadata comes from the simulator's model,
/// itself built from that file, read over HTTP by the production Dataverse client (<see cref="DqtModel"/> says how),
/// then <see cref="TableLayout.Create"/> with <see cref="SchemaCompatibility.Des"/>. Only whitespace and the case of
/// type names are normalised (<c>decimal(38, 2)</c> vs <c>decimal(38,2)</c>). Runs without SQL Server.
/// Column ORDER is not compared: Dataverse metadata carries no DES column order, and the client sorts attributes by
/// logical name (so a table's fingerprint does not change when Dataverse lists them differently); reports address
/// columns by name. <c>Id</c> is always first, and a lookup's <c>_entitytype</c> always follows it.
/// </summary>
public sealed partial class DesSchemaTests
{
    private static readonly string[] SyncColumnNames = [SyncColumns.SinkCreatedOn, SyncColumns.SinkModifiedOn];

    [Fact]
    public async Task The_DES_mode_tables_match_the_DQT_reference_schema_column_for_column()
    {
        var writer = SqlServerStatementCatalog.Ddl;
        var schemas = await DqtModel.SchemasAsync();
        var compared = 0;
        var differences = new List<string>();

        foreach (var (table, reference) in DqtReference.Tables)
        {
            var layout = TableLayout.Create(schemas[table], options: new LayoutOptions { Compatibility = SchemaCompatibility.Des });
            var ddl = writer.CreateTable(layout);
            var generated = Columns(ddl).ToList();
            var byName = generated.ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);

            ddl.Should().Contain($"CONSTRAINT [PK_{table}] PRIMARY KEY CLUSTERED ([Id])");
            generated[0].Should().Be(("Id", "uniqueidentifier"), table);
            foreach (var (name, type) in reference)
            {
                if (!byName.Remove(name, out var got))
                {
                    differences.Add($"{table}.{name}: missing (DES {Normalize(type)})");
                }
                else if (got != Normalize(type))
                {
                    differences.Add($"{table}.{name}: generated {got}, DES {Normalize(type)}");
                }
            }

            differences.AddRange(byName.Keys.Except(SyncColumnNames).Select(extra => $"{table}.{extra}: not in DES"));
            byName.Should().ContainKeys(SyncColumnNames);
            compared += reference.Count;
        }

        differences.Should().BeEmpty();
        compared.Should().Be(3507);
        DqtReference.Tables.Should().HaveCount(55);
    }

    [Fact]
    public async Task Outside_DES_mode_dates_and_doubles_take_the_DESIGN_types()
    {
        var layout = TableLayout.Create(await DqtModel.SchemaAsync("contact"));
        var columns = Columns(SqlServerStatementCatalog.Ddl.CreateTable(layout)).ToDictionary(c => c.Name, c => c.Type);

        columns["birthdate"].Should().Be("date", "DateOnly behaviour");
        columns["createdon"].Should().Be("datetime2");
        columns["address1_latitude"].Should().Be("float");
        columns["description"].Should().Be("nvarchar(max)");
    }

    /// <summary>The (name, type) of each column line of a CREATE TABLE, types lower-cased without whitespace.</summary>
    private static IEnumerable<(string Name, string Type)> Columns(string ddl) =>
        ColumnLine().Matches(ddl).Select(m => (m.Groups["name"].Value, Normalize(m.Groups["type"].Value)));

    private static string Normalize(string type) =>
        Regex.Replace(type.ToLowerInvariant().Replace("not null primary key", "", StringComparison.Ordinal), @"\s+", "");

    [GeneratedRegex(@"^    \[(?<name>[^\]]+)\] (?<type>.+?) (?:NOT NULL|NULL)(?: DEFAULT \d+)?,$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ColumnLine();
}
