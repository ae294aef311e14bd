using Microsoft.SqlServer.TransactSql.ScriptDom;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.SqlServer;

/// <summary>
/// No SQL Server runs here, so the strongest check of the T-SQL we send is Microsoft's own parser: every statement the
/// SQL Server dialect can generate (<see cref="GeneratedTSql"/>) is parsed with ScriptDom's <see cref="TSql160Parser"/>
/// (SQL Server 2022 / Azure SQL syntax) and any parse error fails the test, naming the statement, line and message. The
/// golden files stay too: they pin what the statements say, this pins that SQL Server can read them.
/// </summary>
public sealed class TSqlParserTests(ITestOutputHelper output)
{
    public static TheoryData<string> Categories => [.. GeneratedTSql.Categories];

    [Theory]
    [MemberData(nameof(Categories))]
    public async Task Every_generated_statement_parses_with_TSql160Parser(string category)
    {
        var statements = (await GeneratedTSql.AllAsync()).Where(s => s.Category == category).ToList();

        var failures = new List<string>();
        foreach (var statement in statements)
        {
            failures.AddRange(Parse(statement.Sql).Select(e => $"{statement}: line {e.Line}, column {e.Column}: {e.Message} (error {e.Number})"));
        }

        output.WriteLine($"{statements.Count} statements of {category} parsed");
        statements.Should().NotBeEmpty();
        failures.Should().BeEmpty();
    }

    [Fact]
    public async Task The_statements_cover_all_55_reference_tables_in_both_compatibility_modes()
    {
        var all = await GeneratedTSql.AllAsync();

        all.Count(s => s.Category == GeneratedTSql.Tables).Should().Be(2 * Support.DqtReference.Tables.Count);
        Support.DqtReference.Tables.Should().HaveCount(55);
        all.Where(s => s.Category == GeneratedTSql.Inline).Select(s => s.Sql).Should().Contain("SET XACT_ABORT ON;")
            .And.Contain("EXEC sys.sp_refreshview @viewname = @view;", "the statements that keep analysts' objects are written inline");
        all.Where(s => s.Category == GeneratedTSql.Reseed).Select(s => s.Sql).Should()
            .Contain(s => s.Contains("sys.sql_expression_dependencies", StringComparison.Ordinal), "the catalog queries that find what DDL would break are parsed too")
            .And.Contain(s => s.StartsWith("MERGE INTO [dbo].[contact] WITH (HOLDLOCK)", StringComparison.Ordinal) && s.Contains("EXCEPT", StringComparison.Ordinal),
                "the swap applies the shadow's changed rows to the live table");
        all.Should().Contain(s => s.Name == "sql/sqlserver/roles.sql");
    }

    [Fact]
    public void The_parser_does_reject_broken_T_SQL()
    {
        // Guards against a parser set-up that accepts anything (the test above would then prove nothing).
        Parse("MERGE [dbo].[contact] AS t USING #s AS s ON t.[Id] = s.[Id] WHEN MATCHED UPDATE SET t.[x] = s.[x];").Should().NotBeEmpty();
        Parse("CREATE TABLE [dbo].[t] ([Id] uniqueidentifier NOT NULL,, [x] int NULL);").Should().NotBeEmpty();
    }

    private static IList<ParseError> Parse(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors;
    }
}
