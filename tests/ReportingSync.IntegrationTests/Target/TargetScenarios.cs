using System.Data.Common;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Target;
using Microsoft.Extensions.Time.Testing;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>
/// What every <see cref="IReportingTarget"/> must do, run once per dialect by a subclass. Each test gets a fresh
/// database (PostgreSQL, SQL Server) or file (SQLite) and a target on it; the subclass supplies raw access for
/// assertions. Tests use <see cref="TargetFactAttribute"/> so a subclass marked with
/// <see cref="RequiresEnvironmentAttribute"/> (SQL Server) runs them only where its database is configured.
/// Concerns beyond the page commit live in the partial files (Reseed, Drift, Metadata, Commands, Leases, Quarantine).
/// </summary>
public abstract partial class TargetScenarios : IAsyncLifetime
{
    private readonly Dictionary<string, EntityState> _states = new(StringComparer.Ordinal);
    private int _page;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));

    protected IReportingTarget Target { get; private set; } = null!;

    protected static CancellationToken Ct => CancellationToken.None;

    // ---- what a dialect supplies ----

    protected abstract Task<IReportingTarget> CreateTargetAsync(TimeProvider time);

    protected abstract Task<DbConnection> OpenConnectionAsync();

    /// <summary>Quoted (and qualified) name of a table in the data schema.</summary>
    protected abstract string DataTable(string name);

    protected abstract string StateTable { get; }

    protected abstract string HistoryTable { get; }

    protected abstract string SchemaChangeTable { get; }

    /// <summary>"name type[ NOT NULL][ PK]" per column, in table order, as the database reports it.</summary>
    protected abstract Task<IReadOnlyList<string>> DescribeColumnsAsync(string table);

    /// <summary>What <see cref="DescribeColumnsAsync"/> must report for <see cref="TestSchemas.EverythingLayout"/> with soft deletes.</summary>
    protected abstract IReadOnlyList<string> ExpectedEverythingColumns { get; }

    /// <summary>Values (column of <see cref="TestSchemas.EverythingLayout"/>, value, a fragment of the reason) the dialect cannot store exactly.</summary>
    protected abstract IReadOnlyList<(string Column, object Value, string Reason)> UnholdableValues { get; }

    /// <summary>A value for <see cref="TestSchemas.Small"/>'s fullname (varchar(100) where lengths exist) the dialect cannot hold.</summary>
    protected abstract string UnholdableName { get; }

    /// <summary>Whether string columns have a length the database enforces (not SQLite).</summary>
    protected virtual bool LimitsStringLength => true;

    /// <summary>Drops EntityState and creates it as the first version did, holding one row for <c>legacy</c>.</summary>
    protected abstract Task RecreateFirstVersionStateTableAsync();

    /// <summary>An Id as the dialect stores it, for raw queries.</summary>
    protected abstract object IdValue(Guid id);

    /// <summary>A stored timestamp, read raw, as a UTC DateTime.</summary>
    protected abstract DateTime ReadUtc(object value);

    public async Task InitializeAsync()
    {
        Target = await CreateTargetAsync(Time);
        await Target.InitializeAsync(Ct);
    }

    public virtual async Task DisposeAsync()
    {
        // Null when creating the target failed (the failure is the test's result; nothing to dispose).
        if (Target is { } target)
        {
            await target.DisposeAsync();
        }
    }

    // ---- schema ----

    [TargetFact]
    public async Task Creates_the_table_with_the_expected_column_types()
    {
        var layout = TestSchemas.EverythingLayout(softDeletes: true);
        await Target.EnsureTableAsync(layout, Ct);

        (await DescribeColumnsAsync("account")).Should().Equal(ExpectedEverythingColumns);
    }

    [TargetFact]
    public async Task Initialize_and_ensure_table_are_idempotent_and_leave_an_existing_table_alone()
    {
        var layout = TestSchemas.SmallLayout();
        await Target.EnsureTableAsync(layout, Ct);
        await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "kept")]);

        await Task.WhenAll(Target.InitializeAsync(Ct), Target.InitializeAsync(Ct), Target.EnsureTableAsync(layout, Ct), Target.EnsureTableAsync(layout, Ct));
        await using var second = await CreateTargetAsync(Time);
        await Task.WhenAll(second.InitializeAsync(Ct), Target.InitializeAsync(Ct));

        (await Target.CountRowsAsync("contact", Ct)).Should().Be(1);
    }

    // ---- writing rows ----

    [TargetFact]
    public async Task A_newer_version_updates_the_row_and_an_older_version_is_ignored()
    {
        var layout = await SmallTableAsync();
        var id = Guid.NewGuid();

        (await CommitAsync(layout, [TestRows.Small(layout, id, 10, "first", 1)])).Should().Be(new CommitResult(1, 0));
        (await CommitAsync(layout, [TestRows.Small(layout, id, 20, "second", 2)])).Should().Be(new CommitResult(1, 0));
        (await CommitAsync(layout, [TestRows.Small(layout, id, 15, "stale", 3)])).Should().Be(new CommitResult(0, 0));
        (await CommitAsync(layout, [TestRows.Small(layout, id, 20, "same version wins", 4)])).Should().Be(new CommitResult(1, 0));

        var rows = await ReadAsync(layout);
        rows.Should().ContainSingle();
        rows[0][1].Should().Be("same version wins");
        rows[0][layout.VersionOrdinal].Should().Be(20L);
    }

    [TargetFact]
    public async Task Older_versions_never_overwrite_newer_rows_in_a_mixed_page()
    {
        var layout = await SmallTableAsync();
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToArray();
        await CommitAsync(layout, ids.Select(id => TestRows.Small(layout, id, 100, "v100")));

        var result = await CommitAsync(layout, [
            TestRows.Small(layout, ids[0], 99, "older"),
            TestRows.Small(layout, ids[1], 101, "newer"),
            TestRows.Small(layout, ids[2], 1, "much older"),
            TestRows.Small(layout, Guid.NewGuid(), 1, "new row"),
        ]);

        result.RowsWritten.Should().Be(2, "only the newer row and the new row were applied");
        var names = (await ReadAsync(layout)).ToDictionary(r => (Guid)r[0]!, r => r[1]);
        names[ids[0]].Should().Be("v100");
        names[ids[1]].Should().Be("newer");
        names[ids[2]].Should().Be("v100");
        names[ids[3]].Should().Be("v100");
        names.Should().HaveCount(5);
    }

    [TargetFact]
    public async Task Values_round_trip_exactly_for_every_storage_type()
    {
        var layout = TestSchemas.EverythingLayout();
        await Target.EnsureTableAsync(layout, Ct);
        object?[][] rows =
        [
            TestRows.Typical(layout, Guid.NewGuid(), 1, seed: 1),
            TestRows.Typical(layout, Guid.NewGuid(), 2, seed: 2),
            TestRows.Extreme(layout, Guid.NewGuid(), long.MaxValue, max: true),
            TestRows.Extreme(layout, Guid.NewGuid(), long.MinValue, max: false),
            TestRows.Texts(layout, Guid.NewGuid(), 3),
            TestRows.Nulls(layout, Guid.NewGuid(), 4),
            TestRows.Extreme(layout, Guid.Empty, 5, max: true),
        ];

        await CommitAsync(layout, rows);

        AssertRows(layout, await ReadAsync(layout), TestRows.OrderById(rows, layout).ToList());
    }

    [TargetFact]
    public async Task Bulk_load_and_upsert_store_the_same_values()
    {
        var layout = TestSchemas.EverythingLayout();
        await Target.EnsureTableAsync(layout, Ct);
        var rows = Enumerable.Range(1, 50).Select(i => TestRows.Typical(layout, Guid.NewGuid(), i, seed: i)).ToList();
        rows.Add(TestRows.Extreme(layout, Guid.NewGuid(), 51, max: true));

        await CommitAsync(layout, rows, mode: WriteMode.BulkLoad);

        AssertRows(layout, await ReadAsync(layout), TestRows.OrderById(rows, layout).ToList());
    }

    [TargetFact]
    public async Task A_decoded_page_stores_the_same_values_as_rows_of_objects_in_both_write_modes()
    {
        // Decoded pages are columnar and take the writers' typed paths; every edge value must land as the objects do,
        // empty text as empty (not NULL), and long text whole.
        var layout = TestSchemas.EverythingLayout();
        await Target.EnsureTableAsync(layout, Ct);
        object?[][] first =
        [
            TestRows.Typical(layout, Guid.NewGuid(), 1, seed: 1),
            TestRows.Extreme(layout, Guid.NewGuid(), 2, max: true),
            TestRows.Extreme(layout, Guid.NewGuid(), 3, max: false),
            TestRows.Texts(layout, Guid.NewGuid(), 4),
            TestRows.Nulls(layout, Guid.NewGuid(), 5),
        ];
        object?[][] second =
        [
            TestRows.Typical(layout, (Guid)first[0][layout.IdOrdinal]!, 6, seed: 2),
            TestRows.Extreme(layout, Guid.NewGuid(), 7, max: false),
        ];

        var loaded = await CommitColumnarAsync(layout, first, WriteMode.BulkLoad);
        var upserted = await CommitColumnarAsync(layout, second, WriteMode.Upsert);

        (loaded.RowsWritten, upserted.RowsWritten).Should().Be((5L, 2L));
        AssertRows(layout, await ReadAsync(layout), TestRows.OrderById(first.Skip(1).Concat(second), layout).ToList());
    }

    private async Task<CommitResult> CommitColumnarAsync(TableLayout layout, IReadOnlyList<object?[]> rows, WriteMode mode)
    {
        var from = Remembered(layout.EntityName) ?? await StateRowAsync(layout.EntityName);
        var commit = Commit(layout, rows, mode: mode, from: from) with { Upserts = TestRows.Columnar(layout, rows) };
        var result = await Target.CommitPageAsync(commit, Ct);
        Remember(commit.Change.Stored);
        return result;
    }

    [TargetFact]
    public async Task Duplicate_ids_within_one_page_keep_the_highest_version()
    {
        var layout = await SmallTableAsync();
        var id = Guid.NewGuid();
        var other = Guid.NewGuid();

        var result = await CommitAsync(layout, [
            TestRows.Small(layout, id, 5, "v5"),
            TestRows.Small(layout, other, 1, "other"),
            TestRows.Small(layout, id, 7, "v7"),
            TestRows.Small(layout, id, 6, "v6"),
        ]);

        result.RowsWritten.Should().Be(2);
        var names = (await ReadAsync(layout)).ToDictionary(r => (Guid)r[0]!, r => r[1]);
        names.Should().BeEquivalentTo(new Dictionary<Guid, object?> { [id] = "v7", [other] = "other" });
    }

    [TargetFact]
    public async Task Sink_columns_record_first_insert_and_last_change()
    {
        var layout = await SmallTableAsync();
        var id = Guid.NewGuid();
        var created = Time.GetUtcNow().UtcDateTime;
        await CommitAsync(layout, [TestRows.Small(layout, id, 1, "a")]);
        Time.Advance(TimeSpan.FromMinutes(5));
        var modified = Time.GetUtcNow().UtcDateTime;
        await CommitAsync(layout, [TestRows.Small(layout, id, 2, "b")]);
        Time.Advance(TimeSpan.FromMinutes(5));
        await CommitAsync(layout, [TestRows.Small(layout, id, 1, "stale")]);

        var (sinkCreated, sinkModified) = await SinkTimesAsync("contact", id);
        sinkCreated.Should().Be(created);
        sinkModified.Should().Be(modified, "the stale row changed nothing, not even SinkModifiedOn");
    }

    // ---- deletes ----

    [TargetFact]
    public async Task Hard_deletes_remove_rows_and_write_the_delete_log()
    {
        var layout = await SmallTableAsync();
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToArray();
        await CommitAsync(layout, ids.Select(id => TestRows.Small(layout, id, 1, "x")));
        Time.Advance(TimeSpan.FromSeconds(30));

        var result = await CommitAsync(layout, [], deletes: [ids[0], ids[2], ids[0], Guid.NewGuid()]);

        result.Should().Be(new CommitResult(0, 2));
        (await ReadAsync(layout)).Select(r => r[0]).Should().Equal(ids[1]);
        var log = await DeleteLogAsync();
        log.Should().HaveCount(3, "one row per distinct deleted id, known or not");
        log.Select(l => l.Entity).Should().AllBe("contact");
        log.Take(2).Select(l => l.RecordId).Should().Equal(ids[0].ToString("D"), ids[2].ToString("D"));
        log.Select(l => l.At).Should().AllBeEquivalentTo(Time.GetUtcNow().UtcDateTime);
        log.Select(l => l.Version).Should().AllBeEquivalentTo((long?)null);
    }

    [TargetFact]
    public async Task Soft_deletes_mark_rows_and_a_later_upsert_revives_them()
    {
        var layout = await SmallTableAsync(softDeletes: true);
        var ids = Enumerable.Range(0, 2).Select(_ => Guid.NewGuid()).ToArray();
        await CommitAsync(layout, ids.Select(id => TestRows.Small(layout, id, 1, "x")));
        Time.Advance(TimeSpan.FromSeconds(30));
        var deletedAt = Time.GetUtcNow().UtcDateTime;

        (await CommitAsync(layout, [], deletes: [ids[0]])).Should().Be(new CommitResult(0, 1));
        (await CommitAsync(layout, [], deletes: [ids[0]])).Should().Be(new CommitResult(0, 0), "it was already marked");

        (await Target.CountRowsAsync("contact", Ct)).Should().Be(2);
        (await IsDeletedAsync("contact", ids[0])).Should().BeTrue();
        (await IsDeletedAsync("contact", ids[1])).Should().BeFalse();
        (await SinkTimesAsync("contact", ids[0])).Modified.Should().Be(deletedAt);
        (await DeleteLogAsync()).Select(l => l.RecordId).Should().Equal(ids[0].ToString("D"), ids[0].ToString("D"));

        await CommitAsync(layout, [TestRows.Small(layout, ids[0], 2, "restored")]);
        (await IsDeletedAsync("contact", ids[0])).Should().BeFalse();
    }

    [TargetFact]
    public async Task Upserts_and_deletes_in_one_page_apply_together()
    {
        var layout = await SmallTableAsync();
        var keep = Guid.NewGuid();
        var gone = Guid.NewGuid();
        await CommitAsync(layout, [TestRows.Small(layout, gone, 1, "gone")]);

        var result = await CommitAsync(layout, [TestRows.Small(layout, keep, 1, "keep")], deletes: [gone]);

        result.Should().Be(new CommitResult(1, 1));
        (await ReadAsync(layout)).Select(r => r[0]).Should().Equal(keep);
    }

    // ---- the cursor compare-and-set ----

    [TargetFact]
    public async Task A_stale_expected_revision_throws_and_writes_nothing()
    {
        var layout = await SmallTableAsync();
        var existing = Guid.NewGuid();
        await CommitAsync(layout, [TestRows.Small(layout, existing, 1, "before")]);
        var stored = await Target.LoadStateAsync("contact", Ct);

        var stale = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "new"), TestRows.Small(layout, existing, 9, "changed")],
            deletes: [existing], from: stored! with { Revision = stored.Revision - 1 },
            next: SyncCursor.Next("https://org.example/api/data/v9.2/contacts?$skiptoken=other"));
        var act = () => Target.CommitPageAsync(stale, Ct);

        (await act.Should().ThrowAsync<CursorConflictException>()).Which.Entity.Should().Be("contact");
        var rows = await ReadAsync(layout);
        rows.Should().ContainSingle().Which[1].Should().Be("before");
        (await DeleteLogAsync()).Should().BeEmpty();
        (await Target.LoadStateAsync("contact", Ct)).Should().Be(stored);
    }

    [TargetFact]
    public async Task Two_writers_starting_from_the_same_cursor_cannot_both_commit()
    {
        var layout = await SmallTableAsync();
        var start = await StateRowAsync("contact");
        var first = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "one")], from: start, next: SyncCursor.Next("https://x/1"));
        var second = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "two")], from: start, next: SyncCursor.Next("https://x/2"));

        var results = await Task.WhenAll(TryCommitAsync(first), TryCommitAsync(second));

        results.Count(r => r).Should().Be(1);
        (await Target.CountRowsAsync("contact", Ct)).Should().Be(1);
        var winner = results[0] ? first : second;
        (await Target.LoadStateAsync("contact", Ct))!.Cursor.Should().Be(winner.Change.Stored.Cursor);
    }

    [TargetFact]
    public async Task Cursor_urls_are_stored_byte_for_byte()
    {
        var layout = await SmallTableAsync();
        var url = "https://org.crm.dynamics.com/api/data/v9.2/contacts?$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44&$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%253ccookie%2520page%253d%25221%2522%253e%22%20/%3E";
        await CommitAsync(layout, [], next: SyncCursor.Delta(url));

        (await Target.LoadStateAsync("contact", Ct))!.Cursor.Should().Be(SyncCursor.Delta(url));
        await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "after")]);
    }

    // ---- bulk load ----

    [TargetFact]
    public async Task Bulk_load_into_an_empty_table_inserts_every_row()
    {
        var layout = await SmallTableAsync();
        var rows = Enumerable.Range(0, 500).Select(i => TestRows.Small(layout, Guid.NewGuid(), i + 1, $"row {i}")).ToList();

        var result = await CommitAsync(layout, rows, mode: WriteMode.BulkLoad);

        result.Should().Be(new CommitResult(500, 0));
        (await Target.CountRowsAsync("contact", Ct)).Should().Be(500);
    }

    [TargetFact]
    public async Task Bulk_load_with_an_existing_id_falls_back_to_the_guarded_upsert()
    {
        var layout = await SmallTableAsync();
        var newer = Guid.NewGuid();
        var older = Guid.NewGuid();
        await CommitAsync(layout, [TestRows.Small(layout, newer, 50, "stored v50"), TestRows.Small(layout, older, 1, "stored v1")], mode: WriteMode.BulkLoad);

        var fresh = Guid.NewGuid();
        var result = await CommitAsync(layout, [
            TestRows.Small(layout, fresh, 1, "fresh"),
            TestRows.Small(layout, newer, 10, "overlap v10"),
            TestRows.Small(layout, older, 2, "overlap v2"),
            TestRows.Small(layout, fresh, 3, "fresh v3"),
        ], mode: WriteMode.BulkLoad);

        result.RowsWritten.Should().Be(2);
        var names = (await ReadAsync(layout)).ToDictionary(r => (Guid)r[0]!, r => r[1]);
        names.Should().BeEquivalentTo(new Dictionary<Guid, object?> { [newer] = "stored v50", [older] = "overlap v2", [fresh] = "fresh v3" });
    }

    // ---- failures ----

    [TargetFact]
    public async Task A_failure_mid_commit_leaves_table_and_state_untouched()
    {
        var layout = await SmallTableAsync();
        var existing = Guid.NewGuid();
        await CommitAsync(layout, [TestRows.Small(layout, existing, 1, "before")]);
        var stored = await Target.LoadStateAsync("contact", Ct);
        var bad = Guid.NewGuid();
        var badRow = TestRows.Small(layout, bad, 1, "bad");
        badRow[layout.IndexOf("numberofchildren")] = "three";

        foreach (var mode in new[] { WriteMode.Upsert, WriteMode.BulkLoad })
        {
            var commit = Commit(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "good"), TestRows.Small(layout, existing, 5, "changed"), badRow],
                deletes: [existing], mode: mode);
            var act = () => Target.CommitPageAsync(commit, Ct);

            var error = (await act.Should().ThrowAsync<RowRejectedException>()).Which;
            error.Table.Should().Be("contact");
            error.Column.Should().Be("numberofchildren");
            error.RowId.Should().Be(bad);
            error.IsTransient.Should().BeFalse();
            error.Message.Should().NotContain("three", "values may be personal data");
        }

        (await ReadAsync(layout)).Should().ContainSingle().Which[1].Should().Be("before");
        (await DeleteLogAsync()).Should().BeEmpty();
        (await Target.LoadStateAsync("contact", Ct)).Should().Be(stored);
        (await CommitAsync(layout, [TestRows.Small(layout, existing, 2, "after")])).RowsWritten.Should().Be(1, "the target is still usable");
    }

    [TargetFact]
    public async Task A_row_without_an_id_is_rejected()
    {
        var layout = await SmallTableAsync();
        var row = TestRows.Small(layout, Guid.NewGuid(), 1, "x");
        row[0] = null;

        var act = () => CommitAsync(layout, [row]);

        (await act.Should().ThrowAsync<RowRejectedException>()).Which.Column.Should().Be("Id");
    }

    // ---- identifiers ----

    [TargetTheory]
    [InlineData("contact; DROP TABLE contact")]
    [InlineData("contact\"")]
    [InlineData("con tact")]
    [InlineData("")]
    [InlineData("1contact")]
    [InlineData("contact--")]
    public async Task Malicious_table_names_are_rejected_before_any_sql_runs(string name)
    {
        var layout = await SmallTableAsync();

        await FluentActions.Awaiting(() => Target.CountRowsAsync(name, Ct)).Should().ThrowAsync<InvalidIdentifierException>();
        await FluentActions.Awaiting(() => Target.CommitPageAsync(Commit(layout, [], tableName: name), Ct)).Should().ThrowAsync<InvalidIdentifierException>();
        (await Target.CountRowsAsync("contact", Ct)).Should().Be(0);
    }

    [TargetFact]
    public async Task The_delete_log_name_cannot_be_taken_by_an_entity()
    {
        var layout = TestSchemas.SmallLayout(logicalName: "DeleteLog");

        await FluentActions.Awaiting(() => Target.EnsureTableAsync(layout, Ct)).Should().ThrowAsync<InvalidSchemaException>().WithMessage("*reserved*");
    }

    [TargetTheory]
    [InlineData("select", "from")]
    [InlineData("_", "order")]
    [InlineData("Mixed_Case_Table", "user")]
    [InlineData("t1", "Id_")]
    public async Task Odd_but_valid_names_are_quoted(string entity, string column)
    {
        var layout = TestSchemas.SmallLayout(logicalName: entity, nameColumn: column);
        await Target.EnsureTableAsync(layout, Ct);
        var id = Guid.NewGuid();

        await CommitAsync(layout, [TestRows.Small(layout, id, 1, "x")]);
        await CommitAsync(layout, [TestRows.Small(layout, id, 2, "y")], deletes: [Guid.NewGuid()]);

        (await Target.CountRowsAsync(entity, Ct)).Should().Be(1);
        (await ReadAsync(layout)).Single()[1].Should().Be("y");
    }

    // ---- state and history ----

    [TargetFact]
    public async Task State_round_trips_through_create_change_and_load()
    {
        var full = new EntityState
        {
            EntityName = "account",
            Status = EntityStatus.Failed,
            Cursor = SyncCursor.Delta("https://org/api/data/v9.2/accounts?$deltatoken=1%212"),
            ResumeStatus = EntityStatus.Streaming,
            LayoutFingerprint = "0123456789abcdef0123456789abcdef",
            SeedRowsCopied = 123_456_789_012,
            SeedRowsEstimated = 200_000,
            SeedStartedUtc = new DateTime(2024, 1, 1, 1, 2, 3, 456, DateTimeKind.Utc),
            SeedCompletedUtc = new DateTime(2024, 1, 2, 1, 2, 3, DateTimeKind.Utc),
            RowsUpserted = 42,
            RowsDeleted = 7,
            Pages = 3,
            LastSyncUtc = new DateTime(2024, 2, 1, 0, 0, 0, DateTimeKind.Utc),
            LastSourceChangeUtc = new DateTime(2024, 2, 1, 0, 0, 1, DateTimeKind.Utc),
            LastError = "Boom: 'quoted' \"text\" ; שלום 😀",
            LastErrorUtc = new DateTime(2024, 2, 2, 0, 0, 0, DateTimeKind.Utc),
            ConsecutiveFailures = 4,
            LeaseOwner = "worker-1",
            LeaseExpiresUtc = new DateTime(2024, 2, 2, 0, 5, 0, DateTimeKind.Utc),
            UpdatedUtc = new DateTime(2024, 2, 2, 0, 0, 1, DateTimeKind.Utc),
            LastLagSeconds = 12.25,
            ShadowCursor = SyncCursor.Next("https://org/api/data/v9.2/accounts?$skiptoken=%3Ccookie%20page=%222%22%3E"),
            ShadowLayoutFingerprint = "fedcba9876543210fedcba9876543210",
            ReseedReason = "TokenExpired",
            ReseedStartedUtc = new DateTime(2024, 2, 2, 0, 0, 2, DateTimeKind.Utc),
        };
        var minimal = new EntityState { EntityName = "contact", UpdatedUtc = new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc) };

        (await Target.LoadStateAsync("account", Ct)).Should().BeNull();
        (await Target.CreateStateAsync(full, Ct)).Should().Be(full);
        await Target.CreateStateAsync(minimal, Ct);
        (await Target.CreateStateAsync(minimal with { Status = EntityStatus.Failed }, Ct)).Should().Be(minimal, "a row that is there is never replaced");

        (await Target.LoadStateAsync("account", Ct)).Should().Be(full);
        (await Target.LoadStatesAsync(Ct)).Should().Equal(full, minimal);
        var loaded = await Target.LoadStateAsync("account", Ct);
        loaded!.SeedStartedUtc!.Value.Kind.Should().Be(DateTimeKind.Utc);

        var boundary = Guid.Parse("00000000-0000-0000-0000-400000000000");
        var parallel = new ParallelSeedProgress(
            null, [new SeedRange(null, boundary, "https://org/next?$skiptoken=a%20b", false), new SeedRange(boundary, null, null, true)], "https://org/keys?$skiptoken=2", boundary);
        var changed = full with { Status = EntityStatus.Seeding, Cursor = null, LastError = null, ConsecutiveFailures = 0, ParallelSeed = parallel };
        var stored = await Target.ChangeStateAsync(new StateChange(full, changed), Ct);
        stored.Should().Be(changed with { Revision = 1 });
        (await Target.LoadStateAsync("account", Ct)).Should().Be(stored, "the parallel seed's ranges are stored typed, beside the row");

        var planned = parallel.With(0, parallel.Ranges[0] with { Next = null, Done = true }).Plan([], null, null, "https://org/accounts?$deltatoken=9");
        stored = await Target.ChangeStateAsync(new StateChange(stored, stored with { ParallelSeed = planned }), Ct);
        (await Target.LoadStateAsync("account", Ct))!.ParallelSeed.Should().Be(planned);

        var streaming = stored with { Status = EntityStatus.Streaming, Cursor = SyncCursor.Delta("https://org/accounts?$deltatoken=9"), ParallelSeed = null };
        stored = await Target.ChangeStateAsync(new StateChange(stored, streaming), Ct);
        (await Target.LoadStateAsync("account", Ct)).Should().Be(stored);
        stored.LeaseOwner.Should().Be("worker-1", "a state change never writes the lease");
        stored.Revision.Should().Be(3);
    }

    [TargetFact]
    public async Task History_is_appended_in_order()
    {
        var at = new DateTime(2024, 5, 1, 8, 0, 0, DateTimeKind.Utc);
        await Target.AppendHistoryAsync(new SyncHistoryEntry("account", at, "SeedStarted"), Ct);
        await Target.AppendHistoryAsync(new SyncHistoryEntry("account", at.AddMinutes(1), "SeedCompleted", "12 rows; 'quoted'"), Ct);

        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"EntityName\", \"AtUtc\", \"Event\", \"Detail\" FROM {HistoryTable} ORDER BY \"Id\";";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, DateTime, string, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), ReadUtc(reader.GetValue(1)), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        rows.Should().Equal(("account", at, "SeedStarted", null), ("account", at.AddMinutes(1), "SeedCompleted", "12 rows; 'quoted'"));
    }

    [TargetFact]
    public async Task Schema_changes_are_appended_in_order_with_every_column()
    {
        var at = new DateTime(2024, 5, 1, 8, 0, 0, DateTimeKind.Utc);
        await Target.AppendSchemaChangeAsync(
            new SchemaChangeEntry("account", at, "name", "MaxLength 100 → 400", DriftAction.Widen, "widen name from varchar(100) to string(400) (MaxLength 100 → 400)"), Ct);
        await Target.AppendSchemaChangeAsync(new SchemaChangeEntry("account", at.AddMinutes(1), "o'brien", "attribute removed", DriftAction.KeepRemoved), Ct);

        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"EntityName\", \"ChangedUtc\", \"ColumnName\", \"Change\", \"Action\", \"Detail\" FROM {SchemaChangeTable} ORDER BY \"Id\";";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, DateTime, string, string, string, string?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), ReadUtc(reader.GetValue(1)), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5)));
        }

        rows.Should().Equal(
            ("account", at, "name", "MaxLength 100 → 400", "Widen", "widen name from varchar(100) to string(400) (MaxLength 100 → 400)"),
            ("account", at.AddMinutes(1), "o'brien", "attribute removed", "KeepRemoved", null));
    }

    [TargetFact]
    public async Task Check_succeeds_on_a_reachable_database()
    {
        await Target.CheckAsync(Ct);
        Target.Provider.Should().BeOneOf("PostgreSql", "Sqlite", "SqlServer");
    }

    // ---- helpers ----

    protected async Task<TableLayout> SmallTableAsync(bool softDeletes = false)
    {
        var layout = TestSchemas.SmallLayout(softDeletes);
        await Target.EnsureTableAsync(layout, Ct);
        return layout;
    }

    /// <summary>
    /// A page commit that continues this test's chain of stored states for the entity (from <paramref name="from"/> when
    /// given): the compare-and-set expects the revision the last commit stored.
    /// </summary>
    protected PageCommit Commit(
        TableLayout layout, IEnumerable<object?[]> rows, IEnumerable<Guid>? deletes = null, WriteMode mode = WriteMode.Upsert,
        EntityState? from = null, SyncCursor? next = null, string? tableName = null, LeaseFence? fence = null)
    {
        var page = Interlocked.Increment(ref _page);
        from ??= Remembered(layout.EntityName) ?? new EntityState { EntityName = layout.EntityName };
        next ??= SyncCursor.Next($"https://org.example/api/data/v9.2/{layout.EntitySetName}?$skiptoken=page{page}");
        return new PageCommit
        {
            Layout = layout,
            TableName = tableName,
            Upserts = TestRows.Batch(layout, rows),
            Deletes = deletes?.ToList() ?? [],
            Mode = mode,
            Change = new StateChange(@from, @from with
            {
                Status = mode == WriteMode.BulkLoad ? EntityStatus.Seeding : EntityStatus.Streaming,
                Cursor = next,
                Pages = page,
                UpdatedUtc = Time.GetUtcNow().UtcDateTime,
            })
            {
                Fence = fence,
            },
        };
    }

    /// <summary>Commits a chained page (creating the entity's state row first when it has none) and remembers the stored state.</summary>
    protected async Task<CommitResult> CommitAsync(
        TableLayout layout, IEnumerable<object?[]> rows, IEnumerable<Guid>? deletes = null, WriteMode mode = WriteMode.Upsert, SyncCursor? next = null)
    {
        var from = Remembered(layout.EntityName) ?? await StateRowAsync(layout.EntityName);
        var commit = Commit(layout, rows, deletes, mode, from, next);
        var result = await Target.CommitPageAsync(commit, Ct);
        Remember(commit.Change.Stored);
        return result;
    }

    /// <summary>The entity's stored state, created when it has none.</summary>
    protected Task<EntityState> StateRowAsync(string entity) =>
        Target.CreateStateAsync(new EntityState { EntityName = entity, UpdatedUtc = Time.GetUtcNow().UtcDateTime }, Ct);

    /// <summary>Makes <paramref name="state"/> the start of the next chained commit (after a swap or a fenced commit).</summary>
    protected void Remember(EntityState state)
    {
        lock (_states)
        {
            _states[state.EntityName] = state;
        }
    }

    protected EntityState? Remembered(string entity)
    {
        lock (_states)
        {
            return _states.GetValueOrDefault(entity);
        }
    }

    protected async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    /// <summary>Runs a query on a raw connection and returns every row's values.</summary>
    protected async Task<List<object?[]>> QueryAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        return await RawQuery.ReadAllAsync(connection, sql);
    }

    private async Task<bool> TryCommitAsync(PageCommit commit)
    {
        try
        {
            await Target.CommitPageAsync(commit, Ct);
            return true;
        }
        catch (CursorConflictException)
        {
            return false;
        }
    }

    protected async Task<List<object?[]>> ReadAsync(TableLayout layout, string? table = null)
    {
        var rows = new List<object?[]>();
        await foreach (var row in Target.ReadRowsAsync(layout, table, Ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    protected static void AssertRows(TableLayout layout, IReadOnlyList<object?[]> actual, IReadOnlyList<object?[]> expected)
    {
        actual.Should().HaveCount(expected.Count);
        for (var r = 0; r < expected.Count; r++)
        {
            for (var c = 0; c < layout.Columns.Count; c++)
            {
                var column = layout.Columns[c];
                var because = $"row {r} ({expected[r][0]}), column {column.Name} ({column.Type})";
                var want = expected[r][c];
                var got = actual[r][c];
                if (want is null)
                {
                    got.Should().BeNull(because);
                    continue;
                }

                got.Should().NotBeNull(because);
                got!.GetType().Should().Be(want.GetType(), because);
                got.Should().Be(want, because);
                if (got is DateTime d)
                {
                    d.Kind.Should().Be(DateTimeKind.Utc, because);
                }
            }
        }
    }

    protected async Task<(DateTime Created, DateTime Modified)> SinkTimesAsync(string table, Guid id)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"SinkCreatedOn\", \"SinkModifiedOn\" FROM {DataTable(table)} WHERE \"Id\" = @id;";
        AddParameter(command, "@id", IdValue(id));
        await using var reader = await command.ExecuteReaderAsync();
        (await reader.ReadAsync()).Should().BeTrue();
        return (ReadUtc(reader.GetValue(0)), ReadUtc(reader.GetValue(1)));
    }

    protected async Task<bool> IsDeletedAsync(string table, Guid id)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"IsDeleted\" FROM {DataTable(table)} WHERE \"Id\" = @id;";
        AddParameter(command, "@id", IdValue(id));
        return Convert.ToBoolean(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    protected async Task<List<(string Entity, string RecordId, DateTime At, long? Version)>> DeleteLogAsync()
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT \"EntityName\", \"RecordId\", \"SinkDeleteTime\", \"VersionNumber\" FROM {DataTable("DeleteLog")} ORDER BY \"Id\";";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, DateTime, long?)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), ReadUtc(reader.GetValue(2)), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
        }

        return rows;
    }

    protected static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
