using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Sql.PostgreSql;
using ReportingSync.Target;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>The target scenarios on a real PostgreSQL (one database per test), plus what only PostgreSQL does.</summary>
public sealed partial class PostgreSqlTargetTests(ITestOutputHelper output) : TargetScenarios
{
    private string _connectionString = "";

    protected override async Task<IReportingTarget> CreateTargetAsync(TimeProvider time)
    {
        if (_connectionString.Length == 0)
        {
            var cluster = await PostgresCluster.GetSharedAsync();
            _connectionString = await cluster.CreateDatabaseAsync();
        }

        return Create(_connectionString, time);
    }

    protected override async Task<DbConnection> OpenConnectionAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        return connection;
    }

    protected override string DataTable(string name) => $"\"public\".\"{name}\"";

    protected override (string Refuse, string Allow) InsertRefusal(string table) =>
    (
        "CREATE FUNCTION refuse_rows() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused by the test'; END $$; " +
        $"CREATE TRIGGER refuse_rows BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_rows();",
        $"DROP TRIGGER refuse_rows ON {table}; DROP FUNCTION refuse_rows();"
    );

    protected override string StateTable => "\"reportingsync\".\"EntityState\"";

    protected override string HistoryTable => "\"reportingsync\".\"SyncHistory\"";

    protected override string SchemaChangeTable => "\"reportingsync\".\"SchemaChange\"";

    protected override object IdValue(Guid id) => id;

    protected override DateTime ReadUtc(object value) => DateTime.SpecifyKind((DateTime)value, DateTimeKind.Utc);

    protected override async Task<IReadOnlyList<string>> DescribeColumnsAsync(string table)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                   EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = a.attrelid AND i.indisprimary AND a.attnum = ANY(i.indkey))
            FROM pg_attribute a
            WHERE a.attrelid = to_regclass(@table) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum;
            """,
            (NpgsqlConnection)connection);
        command.Parameters.AddWithValue("table", DataTable(table));
        var columns = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            columns.Add($"{reader.GetString(0)} {reader.GetString(1)}{(reader.GetBoolean(2) ? " NOT NULL" : "")}{(reader.GetBoolean(3) ? " PK" : "")}");
        }

        return columns;
    }

    protected override IReadOnlyList<string> ExpectedEverythingColumns { get; } =
    [
        "Id uuid NOT NULL PK",
        "name character varying(100)",
        "emailaddress1 character varying(4000)",
        "websiteurl text",
        "description text",
        "numberofemployees integer",
        "importsequencenumber bigint",
        "exchangerate numeric(38,10)",
        "revenue numeric(38,4)",
        "creditlimit numeric(38,4)",
        "address1_latitude double precision",
        "donotemail boolean",
        "createdon timestamp without time zone",
        "modifiedon timestamp without time zone",
        "birthdate date",
        "lastonholdtime timestamp without time zone",
        "industrycode integer",
        "statecode integer",
        "statuscode integer",
        "interests text",
        "parentaccountid uuid",
        "parentaccountid_entitytype character varying(128)",
        "parentaccountidname character varying(160)",
        "ownerid uuid",
        "ownerid_entitytype character varying(128)",
        "owneridname character varying(200)",
        "owneridtype character varying(4000)",
        "customerid uuid",
        "customerid_entitytype character varying(128)",
        "objecttypecode character varying(4000)",
        "processid uuid",
        "versionnumber bigint",
        "SinkCreatedOn timestamp without time zone NOT NULL",
        "SinkModifiedOn timestamp without time zone NOT NULL",
        "IsDeleted boolean NOT NULL",
    ];

    protected override IReadOnlyList<(string Column, object Value, string Reason)> UnholdableValues { get; } =
    [
        ("name", TestRows.LongText(101), "101 characters but the column holds at most 100"),
        ("description", "before \0 after", "NUL character"),
        ("websiteurl", "before \ud800 after", "unpaired UTF-16 surrogate"),
        ("exchangerate", 1e28m, "numeric(38,10)"),
    ];

    protected override string UnholdableName => TestRows.LongText(101);

    protected override async Task<IReadOnlyList<string>> IndexNamesAsync(string table) =>
        (await QueryAsync($"SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = '{table}';")).Select(r => (string)r[0]!).ToList();

    /// <summary>A row-level security policy on the column: PostgreSQL refuses ALTER COLUMN TYPE while it exists.</summary>
    protected override (string Sql, string Name)? SomethingATypeChangeCannotKeep(string table, string column) =>
        ($"CREATE POLICY analyst_policy ON {DataTable(table)} USING (\"{column}\" <> 'x');", "policy analyst_policy on table");

    protected override async Task RecreateFirstVersionStateTableAsync()
    {
        var writer = new DdlSql(new PostgreSqlDialect("public", "reportingsync", "", null));
        var firstVersion = new OwnedTable(StateTables.EntityState, true, StateTables.EntityStateColumns.Take(21).ToList(), [StateTables.EntityName]);
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText =
            $"DROP TABLE {StateTable}; {writer.CreateOwned(firstVersion).First()} " +
            $"INSERT INTO {StateTable} (\"EntityName\", \"Status\", \"CursorKind\", \"CursorUrl\", \"SeedRowsCopied\", \"RowsUpserted\", \"RowsDeleted\", \"Pages\", \"ConsecutiveFailures\", \"UpdatedUtc\") " +
            "VALUES ('legacy', 'Streaming', 'DeltaLink', 'https://x/legacy', 42, 5, 0, 3, 0, '2024-01-01 00:00:00');";
        await command.ExecuteNonQueryAsync();
    }

    private static IReportingTarget Create(string connectionString, TimeProvider time, string? schema = null) =>
        ReportingTargetFactory.Create(
            new TargetOptions { Provider = TargetProvider.PostgreSql, ConnectionString = connectionString, Schema = schema },
            time,
            NullLoggerFactory.Instance);

    // ---- PostgreSQL only ----

    [Fact]
    public async Task A_table_that_starts_over_gets_new_empty_storage_instead_of_a_delete_of_every_row()
    {
        // Why it matters: a row-by-row DELETE of a million rows ran past the 30 s command timeout and was retried for ever
        // (bench scenario 9 measures both). A new relation file is what makes the clear cost the same for any row count.
        var layout = await SmallTableAsync();
        await CommitAsync(layout, Enumerable.Range(0, 2_000).Select(_ => TestRows.Small(layout, Guid.NewGuid(), 1, "first read")), mode: WriteMode.BulkLoad);
        var storage = await ScalarAsync($"SELECT pg_relation_filenode('{DataTable(layout.TableName)}')");

        var startOver = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 2, "new read")], mode: WriteMode.BulkLoad) with { ClearTable = true };
        await Target.CommitPageAsync(startOver, Ct);

        (await ScalarAsync($"SELECT pg_relation_filenode('{DataTable(layout.TableName)}')")).Should().NotBe(storage);
        (await Target.CountRowsAsync("contact", Ct)).Should().Be(1);
    }

    [Fact]
    public async Task Identifiers_longer_than_63_bytes_are_rejected_instead_of_truncated()
    {
        var sixtyThree = new string('a', 63);
        var sixtyFour = new string('b', 64);
        await Target.EnsureTableAsync(TestSchemas.SmallLayout(logicalName: sixtyThree), Ct);

        var act = () => Target.EnsureTableAsync(TestSchemas.SmallLayout(logicalName: sixtyFour), Ct);
        (await act.Should().ThrowAsync<InvalidSchemaException>()).Which.Message.Should().Contain("63").And.Contain(sixtyFour);

        var column = () => Target.EnsureTableAsync(TestSchemas.SmallLayout(nameColumn: "c" + sixtyFour), Ct);
        await column.Should().ThrowAsync<InvalidSchemaException>();
        (await Target.CountRowsAsync(sixtyThree, Ct)).Should().Be(0);
    }

    [Fact]
    public async Task Uses_the_configured_data_and_state_schemas()
    {
        await using var target = ReportingTargetFactory.Create(
            new TargetOptions { Provider = TargetProvider.PostgreSql, ConnectionString = _connectionString, Schema = "reporting", StateSchema = "sync_state" },
            Time,
            NullLoggerFactory.Instance);
        await target.InitializeAsync(Ct);
        var layout = TestSchemas.SmallLayout();
        await target.EnsureTableAsync(layout, Ct);
        await target.CommitPageAsync(
            Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "x")], deletes: [Guid.NewGuid()], from: await target.CreateStateAsync(new EntityState { EntityName = "contact" }, Ct)),
            Ct);

        await using var connection = await OpenConnectionAsync();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM reporting.contact), (SELECT count(*) FROM reporting.\"DeleteLog\"), (SELECT count(*) FROM sync_state.\"EntityState\");",
            (NpgsqlConnection)connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)).Should().Be((1L, 1L, 1L));
    }

    [Fact]
    public async Task An_unreachable_server_is_unavailable_and_the_message_has_no_password()
    {
        var port = FreePort();
        var connectionString = $"Host=127.0.0.1;Port={port};Database=nowhere;Username=someone;Password=Sup3r-S3cret!;Timeout=3";
        await using var target = Create(connectionString, Time);

        var check = () => target.CheckAsync(Ct);
        var error = (await check.Should().ThrowAsync<TargetUnavailableException>()).Which;
        error.IsTransient.Should().BeTrue();
        error.Message.Should().Contain("127.0.0.1").And.Contain(port.ToString(System.Globalization.CultureInfo.InvariantCulture)).And.Contain("nowhere");
        error.ToString().Should().NotContain("Sup3r-S3cret!");

        var layout = TestSchemas.SmallLayout();
        var commit = () => target.CommitPageAsync(Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "x")]), Ct);
        (await commit.Should().ThrowAsync<TargetUnavailableException>()).Which.Message.Should().NotContain("Sup3r-S3cret!");
    }

    [Fact]
    public async Task A_missing_database_is_unavailable_and_not_transient()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        await using var target = Create(cluster.ConnectionString("does_not_exist"), Time);

        var error = (await FluentActions.Awaiting(() => target.CheckAsync(Ct)).Should().ThrowAsync<TargetUnavailableException>()).Which;

        error.IsTransient.Should().BeFalse();
        error.Message.Should().Contain("does_not_exist").And.Contain("3D000");
    }

    [Fact]
    public async Task A_login_the_server_refuses_is_unavailable_and_not_transient()
    {
        var cluster = await PostgresCluster.GetSharedAsync();
        var connectionString = cluster.ConnectionString("postgres") + ";Username=nobody_here;Password=Sup3r-S3cret!";
        await using var target = Create(connectionString, Time);

        var error = (await FluentActions.Awaiting(() => target.CheckAsync(Ct)).Should().ThrowAsync<TargetUnavailableException>()).Which;

        error.IsTransient.Should().BeFalse();
        error.Message.Should().Contain("login failed").And.Contain("28000");
        error.ToString().Should().NotContain("Sup3r-S3cret!");
    }

    [Fact]
    public async Task Terminated_connections_surface_as_transient_unavailability_and_the_next_commit_succeeds()
    {
        var layout = await SmallTableAsync();
        await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "before")]);

        await using (var admin = await OpenConnectionAsync())
        await using (var kill = new NpgsqlCommand(
                         "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid();",
                         (NpgsqlConnection)admin))
        {
            ((long)(await kill.ExecuteScalarAsync())!).Should().BeGreaterThan(0, "the target's pooled connection is idle in the pool");
        }

        var act = () => CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "lost")]);
        (await act.Should().ThrowAsync<TargetUnavailableException>()).Which.IsTransient.Should().BeTrue();

        (await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "after")])).RowsWritten.Should().Be(1);
        (await Target.CountRowsAsync("contact", Ct)).Should().Be(2);
    }

    [Fact]
    public async Task Survives_a_server_restart_between_pages()
    {
        await using var cluster = await PostgresCluster.StartNewAsync();
        await using var target = Create(await cluster.CreateDatabaseAsync(), Time);
        await target.InitializeAsync(Ct);
        var layout = TestSchemas.SmallLayout();
        await target.EnsureTableAsync(layout, Ct);
        var first = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "a")], from: await target.CreateStateAsync(new EntityState { EntityName = "contact" }, Ct));
        await target.CommitPageAsync(first, Ct);

        await cluster.StopAsync();
        var down = () => target.CheckAsync(Ct);
        (await down.Should().ThrowAsync<TargetUnavailableException>()).Which.IsTransient.Should().BeTrue();
        await cluster.StartAsync();

        await target.CommitPageAsync(Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "b")], from: first.Change.Stored), Ct);
        (await target.CountRowsAsync("contact", Ct)).Should().Be(2);
    }

    [Fact]
    public async Task Measures_a_ten_thousand_row_page()
    {
        var layout = TestSchemas.EverythingLayout();
        await Target.EnsureTableAsync(layout, Ct);
        var seed = Enumerable.Range(0, 10_000).Select(i => TestRows.Typical(layout, Guid.NewGuid(), 1, seed: i)).ToList();

        var bulk = Stopwatch.StartNew();
        (await CommitAsync(layout, seed, mode: WriteMode.BulkLoad)).RowsWritten.Should().Be(10_000);
        bulk.Stop();

        var updates = seed.Select(r => { var copy = (object?[])r.Clone(); copy[layout.VersionOrdinal] = 2L; return copy; }).ToList();
        var upsert = Stopwatch.StartNew();
        (await CommitAsync(layout, updates)).RowsWritten.Should().Be(10_000);
        upsert.Stop();

        output.WriteLine($"{layout.Columns.Count} columns, 10,000 rows: bulk load {bulk.ElapsedMilliseconds} ms ({10_000 / bulk.Elapsed.TotalSeconds:N0} rows/s), " +
                         $"stage + upsert over existing rows {upsert.ElapsedMilliseconds} ms ({10_000 / upsert.Elapsed.TotalSeconds:N0} rows/s)");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
