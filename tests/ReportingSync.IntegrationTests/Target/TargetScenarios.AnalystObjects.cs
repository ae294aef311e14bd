using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>
/// What analysts and DBAs build on a replicated table (issue 19) is kept through re-seeds, type-change rebuilds, in-place
/// drift and label view refreshes; what cannot be kept stops the change before anything is changed, naming it.
/// </summary>
public abstract partial class TargetScenarios
{
    /// <summary>Names of the indexes on a table in the data schema (the primary key's included).</summary>
    protected abstract Task<IReadOnlyList<string>> IndexNamesAsync(string table);

    /// <summary>
    /// A statement that builds on <paramref name="column"/> of <paramref name="table"/> something a change of the column's
    /// type cannot keep, and the name the change reports it by; null when the dialect has nothing of the kind (SQLite).
    /// </summary>
    protected abstract (string Sql, string Name)? SomethingATypeChangeCannotKeep(string table, string column);

    /// <summary>Whether an index on a column whose type changes is kept (SQL Server refuses to retype an indexed column).</summary>
    protected virtual bool KeepsIndexesOnRetypedColumns => true;

    [TargetFact]
    public async Task A_swap_keeps_the_live_table_so_views_and_indexes_on_it_stay_and_show_the_reseeded_rows()
    {
        var layout = await SmallTableAsync();
        var (same, changed, gone, added) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await CommitAsync(layout, [TestRows.Small(layout, same, 1, "same"), TestRows.Small(layout, changed, 1, "before"), TestRows.Small(layout, gone, 1, "gone")]);
        await ExecuteAsync($"CREATE VIEW {DataTable("analyst_contacts")} AS SELECT \"Id\", \"fullname\" FROM {DataTable("contact")};");
        await ExecuteAsync($"CREATE INDEX \"ix_contact_fullname\" ON {DataTable("contact")} (\"fullname\");");
        var sameBefore = await SinkTimesAsync("contact", same);
        Time.Advance(TimeSpan.FromMinutes(5));

        var live = await CreateShadowAsync(layout);
        await SwapAsync(layout, await ReseedAsync(layout, live,
            [TestRows.Small(layout, same, 1, "same"), TestRows.Small(layout, changed, 2, "after"), TestRows.Small(layout, added, 1, "new")]));

        var view = await QueryAsync($"SELECT \"Id\", \"fullname\" FROM {DataTable("analyst_contacts")};");
        view.Select(r => (ReadId(r[0]), (string?)r[1])).Should().BeEquivalentTo([(same, "same"), (changed, "after"), (added, "new")],
            "the analyst's view reads the live table, which now holds what the re-seed found");
        (await IndexNamesAsync("contact")).Should().Contain("ix_contact_fullname");
        (await SinkTimesAsync("contact", same)).Should().Be(sameBefore, "a row the re-seed found unchanged is not written");
        (await SinkTimesAsync("contact", changed)).Modified.Should().Be(Time.GetUtcNow().UtcDateTime, "a changed row is written at the swap");
        (await Target.GetTableColumnsAsync(layout.ShadowTableName, Ct)).Should().BeNull("the shadow table is gone");
    }

    [TargetFact]
    public async Task A_row_streamed_after_the_reseed_read_it_is_not_set_back_by_the_swap()
    {
        var layout = await SmallTableAsync();
        var id = Guid.NewGuid();
        await CommitAsync(layout, [TestRows.Small(layout, id, 1, "first")]);
        var live = await CreateShadowAsync(layout);
        var shadowed = await ReseedAsync(layout, live, [TestRows.Small(layout, id, 2, "read by the re-seed")]);

        // The live table streams on between the re-seed's slices: a newer version arrives before the swap.
        Remember(shadowed);
        await CommitAsync(layout, [TestRows.Small(layout, id, 3, "streamed after")]);
        await SwapAsync(layout, Remembered("contact")!);

        var row = (await ReadAsync(layout)).Single();
        (row[1], row[layout.VersionOrdinal]).Should().Be(("streamed after", 3L), "the delta from the re-seed's token brings version 3 again anyway");
    }

    [TargetFact]
    public async Task A_type_change_swap_changes_the_column_in_place_and_keeps_the_view_and_index_on_it()
    {
        var (before, after) = (TrnLayout(ColumnStorageType.String), TrnLayout(ColumnStorageType.Int32));
        await Target.EnsureTableAsync(before, Ct);
        var ids = Enumerable.Range(0, 3).Select(_ => Guid.NewGuid()).ToList();
        await CommitAsync(before, ids.Select((id, i) => TrnRow(before, id, 1, (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        await ExecuteAsync($"CREATE VIEW {DataTable("analyst_trns")} AS SELECT \"Id\", \"fullname\", \"dfeta_trn\" FROM {DataTable("contact")};");
        await ExecuteAsync($"CREATE INDEX \"ix_contact_fullname\" ON {DataTable("contact")} (\"fullname\");");
        if (KeepsIndexesOnRetypedColumns)
        {
            await ExecuteAsync($"CREATE INDEX \"ix_contact_trn\" ON {DataTable("contact")} (\"dfeta_trn\");");
        }

        var live = await CreateShadowAsync(after);
        await SwapAsync(after, await ReseedAsync(after, live, ids.Select((id, i) => TrnRow(after, id, 2, 2000 + i)).ToList()));

        (await Target.GetTableColumnsAsync("contact", Ct))!.Single(c => c.Name == "dfeta_trn").Type.Should().Be(ColumnStorageType.Int32);
        var view = await QueryAsync($"SELECT \"Id\", \"dfeta_trn\" FROM {DataTable("analyst_trns")};");
        view.Select(r => (ReadId(r[0]), Convert.ToInt32(r[1], System.Globalization.CultureInfo.InvariantCulture)))
            .Should().BeEquivalentTo(ids.Select((id, i) => (id, 2000 + i)), "the view is kept, over the column's new type");
        (await IndexNamesAsync("contact")).Should().Contain(KeepsIndexesOnRetypedColumns ? ["ix_contact_fullname", "ix_contact_trn"] : ["ix_contact_fullname"]);
        (await ReadAsync(after)).Select(r => r[after.IndexOf("dfeta_trn")]).Should().BeEquivalentTo(new object[] { 2000, 2001, 2002 });
    }

    [TargetFact]
    public async Task A_type_change_swap_that_cannot_keep_an_object_changes_nothing_and_names_it()
    {
        var (before, after) = (TrnLayout(ColumnStorageType.String), TrnLayout(ColumnStorageType.Int32));
        await Target.EnsureTableAsync(before, Ct);
        if (SomethingATypeChangeCannotKeep("contact", "dfeta_trn") is not (var sql, var name))
        {
            return;
        }

        var id = Guid.NewGuid();
        await CommitAsync(before, [TrnRow(before, id, 1, "1234")]);
        await ExecuteAsync(sql);
        var live = await CreateShadowAsync(after);
        var shadowed = await ReseedAsync(after, live, [TrnRow(after, id, 2, 1234)]);

        var swap = () => SwapAsync(after, shadowed);

        var blocked = (await swap.Should().ThrowAsync<DependentObjectsException>()).Which;
        blocked.Objects.Should().ContainSingle().Which.Name.Should().Contain(name);
        blocked.Objects[0].Remedy.Should().NotBeEmpty();
        (await Target.LoadStateAsync("contact", Ct)).Should().Be(shadowed, "the state change rolled back with the rest");
        (await Target.GetTableColumnsAsync("contact", Ct))!.Single(c => c.Name == "dfeta_trn").Type.Should().Be(ColumnStorageType.String);
        (await Target.CountRowsAsync(after.ShadowTableName, Ct)).Should().Be(1, "the shadow table waits for the next attempt");
    }

    [TargetFact]
    public async Task Widening_a_column_an_analyst_view_uses_keeps_the_view()
    {
        var layout = await SmallTableAsync();
        var id = Guid.NewGuid();
        await CommitAsync(layout, [TestRows.Small(layout, id, 1, "kept")]);
        await ExecuteAsync($"CREATE VIEW {DataTable("analyst_names")} AS SELECT \"Id\", \"fullname\" FROM {DataTable("contact")};");
        var wider = Wider(layout, nameLength: 300, extra: false);

        await Target.AlterTableAsync(wider, [new ColumnChange(ColumnChangeKind.Widen, wider.Find("fullname")!)], Ct);

        (await ScalarAsync($"SELECT \"fullname\" FROM {DataTable("analyst_names")};")).Should().Be("kept");
        if (LimitsStringLength)
        {
            (await Target.GetTableColumnsAsync("contact", Ct))!.Single(c => c.Name == "fullname").MaxLength.Should().Be(300);
        }
    }

    [TargetFact]
    public async Task A_view_built_on_the_label_view_survives_the_label_view_being_made_again()
    {
        var (layout, schema) = await DqtInductionAsync();
        await Target.SyncMetadataAsync([(schema, layout)], Ct);
        await CommitAsync(layout, [InductionRow(layout, Guid.NewGuid(), 389040004)]);
        await ExecuteAsync(
            $"CREATE VIEW {DataTable("analyst_inductions")} AS SELECT \"Id\", \"dfeta_inductionstatus_label\" FROM {DataTable("dfeta_induction_labelled")};");

        // Every metadata read makes the label view again (labels may have changed).
        await Target.SyncMetadataAsync([(schema, layout)], Ct);

        (await ScalarAsync($"SELECT \"dfeta_inductionstatus_label\" FROM {DataTable("analyst_inductions")};")).Should().Be("Pass");
    }

    protected async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>An id as a raw query returns it (SQLite: text).</summary>
    private static Guid ReadId(object? value) => value is Guid g ? g : Guid.Parse((string)value!);

    /// <summary><see cref="TestSchemas.Small"/> with a TRN column of <paramref name="type"/> (string(20) or integer).</summary>
    protected static TableLayout TrnLayout(ColumnStorageType type)
    {
        var schema = TestSchemas.Small();
        var trn = new AttributeSchema
        {
            LogicalName = "dfeta_trn",
            Kind = type == ColumnStorageType.String ? AttributeKind.String : AttributeKind.Integer,
            MaxLength = type == ColumnStorageType.String ? 20 : null,
        };
        return TableLayout.Create(schema with { Attributes = [.. schema.Attributes, trn] });
    }

    protected static object?[] TrnRow(TableLayout layout, Guid id, long version, object trn)
    {
        var row = TestRows.Small(layout, id, version, "name " + id.ToString("N")[..6]);
        row[layout.IndexOf("dfeta_trn")] = trn;
        return row;
    }
}
