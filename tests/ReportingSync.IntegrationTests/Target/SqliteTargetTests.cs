using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Sql.Sqlite;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>The target scenarios on real SQLite files (one per test), plus what only SQLite does.</summary>
public sealed class SqliteTargetTests : TargetScenarios, IDisposable
{
    private readonly TempDirectory _directory = new();

    private string ConnectionString => $"Data Source={_directory.File("reporting.db")}";

    protected override Task<IReportingTarget> CreateTargetAsync(TimeProvider time) => Task.FromResult(Create(ConnectionString, time));

    protected override async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = new SqliteConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        return connection;
    }

    protected override string DataTable(string name) => $"\"{name}\"";

    protected override (string Refuse, string Allow) InsertRefusal(string table) =>
        ($"CREATE TRIGGER refuse_rows BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;", "DROP TRIGGER refuse_rows;");

    protected override string StateTable => "\"reportingsync_EntityState\"";

    protected override string HistoryTable => "\"reportingsync_SyncHistory\"";

    protected override string SchemaChangeTable => "\"reportingsync_SchemaChange\"";

    protected override object IdValue(Guid id) => id.ToString("D");

    protected override DateTime ReadUtc(object value) =>
        DateTime.Parse((string)value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal);

    protected override async Task<IReadOnlyList<string>> DescribeColumnsAsync(string table)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, type, \"notnull\", pk FROM pragma_table_info(@table) ORDER BY cid;";
        AddParameter(command, "@table", table);
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add($"{reader.GetString(0)} {reader.GetString(1)}{(reader.GetInt64(2) == 1 ? " NOT NULL" : "")}{(reader.GetInt64(3) > 0 ? " PK" : "")}");
        }

        return columns;
    }

    protected override IReadOnlyList<string> ExpectedEverythingColumns { get; } =
    [
        "Id UUID TEXT NOT NULL PK",
        "name TEXT",
        "emailaddress1 TEXT",
        "websiteurl TEXT",
        "description TEXT",
        "numberofemployees INT",
        "importsequencenumber BIGINT",
        "exchangerate DECIMAL TEXT(38,10)",
        "revenue DECIMAL TEXT(38,4)",
        "creditlimit DECIMAL TEXT(38,4)",
        "address1_latitude REAL",
        "donotemail BOOLEAN",
        "createdon DATETIME TEXT",
        "modifiedon DATETIME TEXT",
        "birthdate DATE TEXT",
        "lastonholdtime DATETIME TEXT",
        "industrycode INT",
        "statecode INT",
        "statuscode INT",
        "interests TEXT",
        "parentaccountid UUID TEXT",
        "parentaccountid_entitytype TEXT",
        "parentaccountidname TEXT",
        "ownerid UUID TEXT",
        "ownerid_entitytype TEXT",
        "owneridname TEXT",
        "owneridtype TEXT",
        "customerid UUID TEXT",
        "customerid_entitytype TEXT",
        "objecttypecode TEXT",
        "processid UUID TEXT",
        "versionnumber BIGINT",
        "SinkCreatedOn DATETIME TEXT NOT NULL",
        "SinkModifiedOn DATETIME TEXT NOT NULL",
        "IsDeleted BOOLEAN NOT NULL",
    ];

    protected override IReadOnlyList<(string Column, object Value, string Reason)> UnholdableValues { get; } =
    [
        ("description", "before \0 after", "NUL character"),
        ("websiteurl", "before \ud800 after", "unpaired UTF-16 surrogate"),
        ("address1_latitude", double.NaN, "NaN"),
    ];

    protected override string UnholdableName => "before \0 after";

    protected override async Task<IReadOnlyList<string>> IndexNamesAsync(string table) =>
        (await QueryAsync($"SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '{table}';")).Select(r => (string)r[0]!).ToList();

    /// <summary>SQLite keeps everything a table can have (its indexes and triggers are re-created from their SQL).</summary>
    protected override (string Sql, string Name)? SomethingATypeChangeCannotKeep(string table, string column) => null;

    protected override bool LimitsStringLength => false;

    protected override async Task RecreateFirstVersionStateTableAsync()
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();

        // The first version's DDL, as it declared every column (TEXT and INTEGER only).
        var columns = StateTables.EntityStateColumns.Take(21).Select(c =>
            $"\"{c.Name}\" {(c.Type is ReportingSync.Model.ColumnStorageType.Int32 or ReportingSync.Model.ColumnStorageType.Int64 ? "INTEGER" : "TEXT")} {(c.Nullable ? "NULL" : "NOT NULL")}");
        command.CommandText =
            $"DROP TABLE {StateTable}; CREATE TABLE {StateTable} ({string.Join(", ", columns)}, PRIMARY KEY (\"EntityName\")); " +
            $"INSERT INTO {StateTable} (\"EntityName\", \"Status\", \"CursorKind\", \"CursorUrl\", \"SeedRowsCopied\", \"RowsUpserted\", \"RowsDeleted\", \"Pages\", \"ConsecutiveFailures\", \"UpdatedUtc\") " +
            "VALUES ('legacy', 'Streaming', 'DeltaLink', 'https://x/legacy', 42, 5, 0, 3, 0, '2024-01-01T00:00:00.0000000Z');";
        await command.ExecuteNonQueryAsync();
    }

    public void Dispose() => _directory.Dispose();

    private static IReportingTarget Create(string connectionString, TimeProvider time) =>
        ReportingTargetFactory.Create(
            new TargetOptions { Provider = TargetProvider.Sqlite, ConnectionString = connectionString },
            time,
            NullLoggerFactory.Instance);

    // ---- SQLite only ----

    [Fact]
    public async Task A_table_that_starts_over_is_emptied_by_the_truncate_optimisation_not_row_by_row()
    {
        var layout = await SmallTableAsync();
        var clear = new SqliteDialect("reportingsync", "test").ClearTable(DataTable(layout.TableName));

        // SQLite's program for the statement: OP_Clear drops a b-tree's pages at once; a row-by-row delete loops over OP_Delete.
        var opcodes = (await QueryAsync("EXPLAIN " + clear)).Select(r => (string)r[1]!).ToList();

        opcodes.Should().Contain("Clear").And.NotContain("Delete");
    }

    [Fact]
    public async Task Concurrent_commits_from_several_entities_are_serialised()
    {
        var layouts = Enumerable.Range(0, 4).Select(i => TestSchemas.SmallLayout(logicalName: $"entity{i}")).ToList();
        foreach (var layout in layouts)
        {
            await Target.EnsureTableAsync(layout, Ct);
        }

        await Task.WhenAll(layouts.Select(layout => Task.Run(async () =>
        {
            for (var page = 0; page < 15; page++)
            {
                var rows = Enumerable.Range(0, 40).Select(i => TestRows.Small(layout, Guid.NewGuid(), page + 1, $"{layout.EntityName} {page}/{i}"));
                await CommitAsync(layout, rows, mode: page % 2 == 0 ? WriteMode.BulkLoad : WriteMode.Upsert);
                await Target.AppendHistoryAsync(new SyncHistoryEntry(layout.EntityName, Time.GetUtcNow().UtcDateTime, "Page"), Ct);
            }
        })));

        foreach (var layout in layouts)
        {
            (await Target.CountRowsAsync(layout.EntityName, Ct)).Should().Be(600);
        }

        (await Target.LoadStatesAsync(Ct)).Select(s => s.EntityName).Should().Equal("entity0", "entity1", "entity2", "entity3");
    }

    [Fact]
    public async Task Reads_run_while_a_commit_holds_the_writer()
    {
        var layout = await SmallTableAsync();
        await CommitAsync(layout, Enumerable.Range(0, 100).Select(i => TestRows.Small(layout, Guid.NewGuid(), 1, $"r{i}")));

        var write = CommitAsync(layout, Enumerable.Range(0, 20_000).Select(i => TestRows.Small(layout, Guid.NewGuid(), 1, $"w{i}")).ToList());
        var count = await Target.CountRowsAsync("contact", Ct);
        await write;

        count.Should().BeOneOf(100, 20_100);
        (await Target.CountRowsAsync("contact", Ct)).Should().Be(20_100);
    }

    [Fact]
    public async Task The_database_is_in_wal_mode_and_text_has_no_length_limit()
    {
        var layout = await SmallTableAsync();
        var id = Guid.NewGuid();
        var longName = TestRows.LongText(5_000);
        await CommitAsync(layout, [TestRows.Small(layout, id, 1, longName)]);

        (await ReadAsync(layout)).Single()[1].Should().Be(longName, "SQLite text has no declared length: nothing is cut to fit");
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        (await command.ExecuteScalarAsync()).Should().Be("wal");
    }

    [Fact]
    public async Task Stored_text_sorts_and_reads_as_documented()
    {
        var layout = TestSchemas.EverythingLayout();
        await Target.EnsureTableAsync(layout, Ct);
        var id = Guid.NewGuid();
        var row = TestRows.Typical(layout, id, 1);
        row[layout.IndexOf("createdon")] = new DateTime(2024, 2, 29, 13, 14, 15, 16, DateTimeKind.Utc);
        row[layout.IndexOf("birthdate")] = new DateOnly(1999, 12, 31);
        row[layout.IndexOf("revenue")] = 1.5m;
        row[layout.IndexOf("donotemail")] = true;
        await CommitAsync(layout, [row]);

        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT \"Id\", \"createdon\", \"birthdate\", \"revenue\", \"donotemail\", typeof(\"revenue\"), datetime(\"createdon\") FROM \"account\";";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        reader.GetString(0).Should().Be(id.ToString("D"));
        reader.GetString(1).Should().Be("2024-02-29T13:14:15.0160000Z");
        reader.GetString(2).Should().Be("1999-12-31");
        reader.GetString(3).Should().Be("1.5");
        reader.GetInt64(4).Should().Be(1);
        reader.GetString(5).Should().Be("text");
        reader.GetString(6).Should().Be("2024-02-29 13:14:15", "SQLite's date functions read the format");
    }

    [Fact]
    public async Task A_missing_folder_is_unavailable_and_not_transient()
    {
        await using var target = Create($"Data Source={_directory.File("missing/folder/x.db")}", Time);

        var error = (await FluentActions.Awaiting(() => target.InitializeAsync(Ct)).Should().ThrowAsync<TargetUnavailableException>()).Which;

        error.IsTransient.Should().BeFalse();
        error.Message.Should().Contain("missing/folder/x.db");
    }

    [Fact]
    public async Task An_analysts_view_of_the_live_table_keeps_working_across_a_swap()
    {
        var layout = await SmallTableAsync();
        await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "old")]);
        await using (var connection = await OpenConnectionAsync())
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "CREATE VIEW \"analyst_contacts\" AS SELECT \"fullname\" FROM \"contact\";";
            await command.ExecuteNonQueryAsync();
        }

        var live = await CreateShadowAsync(layout);
        await SwapAsync(layout, await ReseedAsync(layout, live, [TestRows.Small(layout, Guid.NewGuid(), 2, "new")]));

        (await ScalarAsync("SELECT \"fullname\" FROM \"analyst_contacts\";")).Should().Be("new", "the view still names contact, which is now the new table");
    }

    [Fact]
    public async Task The_bundled_sqlite_supports_drop_column_and_returning()
    {
        var version = Version.Parse((string)(await ScalarAsync("SELECT sqlite_version();"))!);

        version.Should().BeGreaterThanOrEqualTo(new Version(3, 35), "ALTER TABLE DROP COLUMN and RETURNING arrived in 3.35");
    }

    [Fact]
    public async Task Names_starting_with_sqlite_are_rejected()
    {
        var act = () => Target.EnsureTableAsync(TestSchemas.SmallLayout(logicalName: "sqlite_stat1"), Ct);

        await act.Should().ThrowAsync<InvalidSchemaException>().WithMessage("*sqlite_*");
    }
}
