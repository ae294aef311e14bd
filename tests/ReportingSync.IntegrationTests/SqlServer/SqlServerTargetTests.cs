using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.IntegrationTests.Target;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Sql.SqlServer;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.SqlServer;

/// <summary>
/// The target scenarios on a real SQL Server or Azure SQL database, when <c>REPORTINGSYNC_TEST_SQLSERVER</c> holds a
/// connection string (a login that may create schemas and tables), each test in its own schemas
/// (<see cref="SqlServerTestSchemas"/>). Without the variable neither these scenarios nor the analyst-schema ones
/// (<see cref="SqlServerAnalystSchemaTests"/>) are discovered, and
/// <see cref="SqlServer_integration_tests_need_REPORTINGSYNC_TEST_SQLSERVER"/> reports it as one skipped line. SqlClient does
/// not support globalization-invariant mode, so this project is built with InvariantGlobalization=false (ICU needed).
/// </summary>
[RequiresEnvironment(Variable)]
public sealed class SqlServerTargetTests : TargetScenarios
{
    public const string Variable = SqlServerTestSchemas.Variable;

    private readonly SqlServerTestSchemas _schemas = new();

    private static string ConnectionString => SqlServerTestSchemas.ConnectionString;

    private string DataSchema => _schemas.Data;

    private string StateSchema => _schemas.State;

    [SkippedUnlessEnvironmentFact(Variable, "SQL Server integration tests")]
    public void SqlServer_integration_tests_need_REPORTINGSYNC_TEST_SQLSERVER() =>
        SqlServerTargetFactory.IsGlobalizationInvariant().Should().BeFalse(SqlServerTargetFactory.InvariantGlobalizationError);

    protected override Task<IReportingTarget> CreateTargetAsync(TimeProvider time) => Task.FromResult(Create(time));

    protected override async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = new SqlConnection(ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override string DataTable(string name) => $"[{DataSchema}].[{name}]";

    protected override (string Refuse, string Allow) InsertRefusal(string table) =>
        ($"CREATE TRIGGER [{DataSchema}].[refuse_rows] ON {table} AFTER INSERT AS THROW 50000, 'refused by the test', 1;", $"DROP TRIGGER [{DataSchema}].[refuse_rows];");

    protected override string StateTable => $"[{StateSchema}].[EntityState]";

    protected override string HistoryTable => $"[{StateSchema}].[SyncHistory]";

    protected override string SchemaChangeTable => $"[{StateSchema}].[SchemaChange]";

    protected override object IdValue(Guid id) => id;

    protected override DateTime ReadUtc(object value) => DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc);

    protected override async Task<IReadOnlyList<string>> DescribeColumnsAsync(string table)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT c.name, t.name, c.max_length, c.precision, c.scale, c.is_nullable,
                   CASE WHEN EXISTS (SELECT 1 FROM sys.index_columns ic JOIN sys.indexes i ON i.object_id = ic.object_id AND i.index_id = ic.index_id
                                     WHERE i.is_primary_key = 1 AND ic.object_id = c.object_id AND ic.column_id = c.column_id) THEN 1 ELSE 0 END
            FROM sys.columns c JOIN sys.types t ON t.user_type_id = c.user_type_id
            WHERE c.object_id = OBJECT_ID(@table) ORDER BY c.column_id;
            """;
        AddParameter(command, "@table", DataTable(table));
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var (_, _, _, spelled) = SqlServerDialect.ParseType(reader.GetString(1), reader.GetInt16(2), reader.GetByte(3), reader.GetByte(4));
            columns.Add($"{reader.GetString(0)} {spelled}{(reader.GetBoolean(5) ? "" : " NOT NULL")}{(reader.GetInt32(6) == 1 ? " PK" : "")}");
        }

        return columns;
    }

    protected override IReadOnlyList<string> ExpectedEverythingColumns { get; } =
    [
        "Id uniqueidentifier NOT NULL PK",
        "name nvarchar(100)",
        "emailaddress1 nvarchar(4000)",
        "websiteurl nvarchar(max)",
        "description nvarchar(max)",
        "numberofemployees int",
        "importsequencenumber bigint",
        "exchangerate decimal(38,10)",
        "revenue decimal(38,4)",
        "creditlimit decimal(38,4)",
        "address1_latitude float",
        "donotemail bit",
        "createdon datetime2",
        "modifiedon datetime2",
        "birthdate date",
        "lastonholdtime datetime2",
        "industrycode int",
        "statecode int",
        "statuscode int",
        "interests nvarchar(max)",
        "parentaccountid uniqueidentifier",
        "parentaccountid_entitytype nvarchar(128)",
        "parentaccountidname nvarchar(160)",
        "ownerid uniqueidentifier",
        "ownerid_entitytype nvarchar(128)",
        "owneridname nvarchar(200)",
        "owneridtype nvarchar(4000)",
        "customerid uniqueidentifier",
        "customerid_entitytype nvarchar(128)",
        "objecttypecode nvarchar(4000)",
        "processid uniqueidentifier",
        "versionnumber bigint",
        "SinkCreatedOn datetime2 NOT NULL",
        "SinkModifiedOn datetime2 NOT NULL",
        "IsDeleted bit NOT NULL",
    ];

    protected override IReadOnlyList<(string Column, object Value, string Reason)> UnholdableValues { get; } =
    [
        ("name", new string('x', 101), "101 UTF-16 code units but the column holds at most 100"),
        ("address1_latitude", double.NaN, "NaN or infinite"),
        ("exchangerate", 1e28m, "decimal(38,10)"),
    ];

    protected override string UnholdableName => new('x', 101);

    protected override async Task<IReadOnlyList<string>> IndexNamesAsync(string table) =>
        (await QueryAsync($"SELECT name FROM sys.indexes WHERE object_id = OBJECT_ID(N'{DataTable(table)}') AND name IS NOT NULL;")).Select(r => (string)r[0]!).ToList();

    /// <summary>SQL Server refuses to change the type of a column that CREATE STATISTICS covers.</summary>
    protected override (string Sql, string Name)? SomethingATypeChangeCannotKeep(string table, string column) =>
        ($"CREATE STATISTICS [st_analyst] ON {DataTable(table)} ([{column}]);", "statistics [st_analyst]");

    protected override bool KeepsIndexesOnRetypedColumns => false;

    protected override async Task RecreateFirstVersionStateTableAsync()
    {
        var writer = new DdlSql(new SqlServerDialect(DataSchema, StateSchema, "", null));
        var firstVersion = new OwnedTable(StateTables.EntityState, true, StateTables.EntityStateColumns.Take(21).ToList(), [StateTables.EntityName]);
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"DROP TABLE {StateTable};\n{writer.CreateOwned(firstVersion).First()}\n" +
            $"INSERT INTO {StateTable} ([EntityName], [Status], [CursorKind], [CursorUrl], [SeedRowsCopied], [RowsUpserted], [RowsDeleted], [Pages], [ConsecutiveFailures], [UpdatedUtc]) " +
            "VALUES (N'legacy', N'Streaming', N'DeltaLink', N'https://x/legacy', 42, 5, 0, 3, 0, '2024-01-01T00:00:00');";
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _schemas.DropAsync();
    }

    private IReportingTarget Create(TimeProvider time) =>
        ReportingTargetFactory.Create(
            new TargetOptions { Provider = TargetProvider.SqlServer, ConnectionString = ConnectionString, Schema = DataSchema, StateSchema = StateSchema },
            time,
            NullLoggerFactory.Instance);

    // ---- SQL Server only ----

    [TargetFact]
    public async Task In_DES_mode_a_date_before_1753_is_quarantined_instead_of_failing_the_page()
    {
        var layout = TableLayout.Create(TestSchemas.Small(), options: new LayoutOptions { Compatibility = SchemaCompatibility.Des });
        await Target.EnsureTableAsync(layout, Ct);
        var old = TestRows.Small(layout, Guid.NewGuid(), 1, "old");
        old[layout.IndexOf("modifiedon")] = new DateTime(1752, 12, 31, 0, 0, 0, DateTimeKind.Utc);

        var result = await CommitAsync(layout, [old, TestRows.Small(layout, Guid.NewGuid(), 1, "fine")]);

        result.Should().Be(new CommitResult(1, 0, 1));
        (await Target.LoadQuarantineAsync("contact", Ct)).Single().Reason.Should().Contain("datetime");
        ((string?)await ScalarAsync($"SELECT TYPE_NAME(system_type_id) FROM sys.columns WHERE object_id = OBJECT_ID(N'{DataTable("contact")}') AND name = N'modifiedon';"))
            .Should().Be("datetime");
    }
}
