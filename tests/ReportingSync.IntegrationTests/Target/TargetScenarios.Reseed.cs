using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>Re-seeds: shadow table, commits into it with their own cursor, and the swap.</summary>
public abstract partial class TargetScenarios
{
    [TargetFact]
    public async Task A_reseed_fills_the_shadow_table_and_the_swap_replaces_the_live_table_and_state_together()
    {
        var layout = await SmallTableAsync();
        var old = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        await CommitAsync(layout, old.Select(id => TestRows.Small(layout, id, 1, "old")), next: SyncCursor.Delta("https://x/delta/1"));

        for (var round = 1; round <= 2; round++)
        {
            var live = await CreateShadowAsync(layout);
            var ids = Enumerable.Range(0, 7).Select(_ => Guid.NewGuid()).ToList();
            var shadowed = await ReseedAsync(layout, live, ids.Select(id => TestRows.Small(layout, id, 10, $"round {round}")).ToList());

            (await Target.CountRowsAsync("contact", Ct)).Should().Be(round == 1 ? 5 : 7, "the live table is untouched until the swap");
            (await Target.CountRowsAsync(layout.ShadowTableName, Ct)).Should().Be(7);

            var swapped = await SwapAsync(layout, shadowed);

            (await ReadAsync(layout)).Select(r => (Guid)r[0]!).Should().BeEquivalentTo(ids);
            (await Target.LoadStateAsync("contact", Ct)).Should().Be(swapped);
            (await Target.GetTableColumnsAsync(layout.ShadowTableName, Ct)).Should().BeNull("the shadow name is free for the next re-seed");
        }

        (await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 11, "after")])).RowsWritten.Should().Be(1, "the swapped table takes page commits");
    }

    [TargetFact]
    public async Task A_swap_from_a_stale_state_changes_nothing()
    {
        var layout = await SmallTableAsync();
        await CommitAsync(layout, [TestRows.Small(layout, Guid.NewGuid(), 1, "live")]);
        var live = await CreateShadowAsync(layout);
        var shadowed = await ReseedAsync(layout, live, [TestRows.Small(layout, Guid.NewGuid(), 1, "shadow")]);
        var before = await Target.LoadStateAsync("contact", Ct);

        var swap = () => Target.SwapShadowTableAsync(layout, new StateChange(live, live with { Cursor = shadowed.ShadowCursor, ShadowCursor = null }), Ct);
        await swap.Should().ThrowAsync<CursorConflictException>("the state read before the shadow page is no longer the stored one");

        (await ReadAsync(layout)).Single()[1].Should().Be("live");
        (await Target.CountRowsAsync(layout.ShadowTableName, Ct)).Should().Be(1);
        (await Target.LoadStateAsync("contact", Ct)).Should().Be(before);
    }

    [TargetFact]
    public async Task Creating_the_shadow_again_starts_it_empty_and_dropping_it_is_idempotent()
    {
        var layout = await SmallTableAsync();
        var live = await CreateShadowAsync(layout);
        await ReseedAsync(layout, live, [TestRows.Small(layout, Guid.NewGuid(), 1, "abandoned")]);

        await CreateShadowAsync(layout);
        (await Target.CountRowsAsync(layout.ShadowTableName, Ct)).Should().Be(0);

        var state = Remembered("contact")!;
        state = await Target.DropShadowTableAsync(layout, new StateChange(state, state with { Status = EntityStatus.Streaming }), Ct);
        await Target.DropShadowTableAsync(layout, new StateChange(state, state), Ct);
        (await Target.GetTableColumnsAsync(layout.ShadowTableName, Ct)).Should().BeNull();
    }

    [TargetFact]
    public async Task Readers_of_the_live_table_never_fail_or_see_fewer_rows_during_a_swap()
    {
        var layout = await SmallTableAsync();
        await CommitAsync(layout, Enumerable.Range(0, 200).Select(i => TestRows.Small(layout, Guid.NewGuid(), 1, $"old {i}")));
        var counts = new List<long>();
        var errors = new List<Exception>();

        for (var round = 0; round < 3; round++)
        {
            var live = await CreateShadowAsync(layout);
            var rows = Enumerable.Range(0, 300 + round).Select(i => TestRows.Small(layout, Guid.NewGuid(), 2, $"new {i}")).ToList();
            var shadowed = await ReseedAsync(layout, live, rows);

            using var stop = new CancellationTokenSource();
            var reader = Task.Run(async () =>
            {
                await using var connection = await OpenConnectionAsync();
                while (!stop.IsCancellationRequested)
                {
                    try
                    {
                        await using var command = connection.CreateCommand();
                        command.CommandText = $"SELECT count(*) FROM {DataTable("contact")};";
                        var count = Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                        lock (counts)
                        {
                            counts.Add(count);
                        }
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        lock (errors)
                        {
                            errors.Add(ex);
                        }
                    }
                }
            });

            await Task.Delay(50);
            await SwapAsync(layout, shadowed);
            await Task.Delay(50);
            await stop.CancelAsync();
            await reader;
        }

        errors.Should().BeEmpty();
        counts.Should().NotBeEmpty().And.OnlyContain(c => c >= 200);
        counts.Should().BeInAscendingOrder("a reader sees the old table, then the new one, never less");
    }

    [TargetFact]
    public async Task The_label_view_follows_the_swapped_table()
    {
        var (layout, schema) = await DqtInductionAsync();
        await Target.SyncMetadataAsync([(schema, layout)], Ct);
        var id = Guid.NewGuid();
        await CommitAsync(layout, [InductionRow(layout, id, 389040004)]);

        var live = await CreateShadowAsync(layout);
        await SwapAsync(layout, await ReseedAsync(layout, live, [InductionRow(layout, id, 389040001)]));

        var label = await ScalarAsync($"SELECT \"dfeta_inductionstatus_label\" FROM {DataTable("dfeta_induction_labelled")};");
        label.Should().Be("Fail");
    }

    /// <summary>Starts a re-seed from the entity's stored state: an empty shadow table, created with the state change.</summary>
    protected async Task<EntityState> CreateShadowAsync(TableLayout layout)
    {
        var from = (await Target.LoadStateAsync(layout.EntityName, Ct)) ?? await StateRowAsync(layout.EntityName);
        var stored = await Target.CreateShadowTableAsync(
            layout, new StateChange(@from, @from with { Status = EntityStatus.Reseeding, ShadowCursor = null, UpdatedUtc = Time.GetUtcNow().UtcDateTime }), Ct);
        Remember(stored);
        return stored;
    }

    /// <summary>Commits <paramref name="rows"/> into the shadow table as one re-seed page that ends the shadow read; returns the stored state.</summary>
    protected async Task<EntityState> ReseedAsync(TableLayout layout, EntityState live, IReadOnlyList<object?[]> rows)
    {
        var next = SyncCursor.Delta($"https://org.example/api/data/v9.2/{layout.EntitySetName}?$deltatoken=reseed{Guid.NewGuid():N}");
        var change = new StateChange(live, live with { Status = EntityStatus.Reseeding, ShadowCursor = next, UpdatedUtc = Time.GetUtcNow().UtcDateTime });
        var result = await Target.CommitPageAsync(
            new PageCommit { Layout = layout, TableName = layout.ShadowTableName, Upserts = TestRows.Batch(layout, rows), Mode = WriteMode.BulkLoad, Change = change },
            Ct);
        result.RowsWritten.Should().Be(rows.Count);
        Remember(change.Stored);
        return change.Stored;
    }

    /// <summary>Swaps the shadow table in: its cursor becomes the live one.</summary>
    protected async Task<EntityState> SwapAsync(TableLayout layout, EntityState shadowed)
    {
        var swapped = await Target.SwapShadowTableAsync(
            layout,
            new StateChange(shadowed, shadowed with { Cursor = shadowed.ShadowCursor, ShadowCursor = null, Status = EntityStatus.Streaming, UpdatedUtc = Time.GetUtcNow().UtcDateTime }),
            Ct);
        Remember(swapped);
        return swapped;
    }
}
