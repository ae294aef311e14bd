using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>Schema drift: reading a table's columns back, and in-place add / widen / drop.</summary>
public abstract partial class TargetScenarios
{
    [TargetFact]
    public async Task Table_columns_read_back_as_the_layout_describes_them()
    {
        var layout = TestSchemas.EverythingLayout(softDeletes: true);
        await Target.EnsureTableAsync(layout, Ct);

        var columns = (await Target.GetTableColumnsAsync("account", Ct))!;

        columns.Should().NotBeNull();
        columns.Select(c => c.Name).Should().Equal(layout.Columns.Select(c => c.Name).Concat([SyncColumns.SinkCreatedOn, SyncColumns.SinkModifiedOn, SyncColumns.IsDeleted]));
        foreach (var column in layout.Columns)
        {
            var read = columns.Single(c => c.Name == column.Name);
            var because = $"{column.Name} is {read.DatabaseType}";
            read.Type.Should().Be(column.Type, because);
            read.MaxLength.Should().Be(LimitsStringLength ? column.MaxLength : null, because);
            if (column.Type == ColumnStorageType.Decimal)
            {
                read.Precision.Should().Be(column.Precision, because);
            }
        }

        (await Target.GetTableColumnsAsync("nosuchtable", Ct)).Should().BeNull();
    }

    [TargetFact]
    public async Task Columns_are_added_widened_and_dropped_in_place_and_data_is_kept()
    {
        var layout = await SmallTableAsync();
        var id = Guid.NewGuid();
        await CommitAsync(layout, [TestRows.Small(layout, id, 1, "kept", children: 3)]);
        var wider = Wider(layout, nameLength: 200, extra: true);

        await Target.AlterTableAsync(wider, [
            new ColumnChange(ColumnChangeKind.Add, wider.Find("jobtitle")!),
            new ColumnChange(ColumnChangeKind.Widen, wider.Find("fullname")!),
            new ColumnChange(ColumnChangeKind.Widen, wider.Find("numberofchildren")!),
        ], Ct);

        var columns = (await Target.GetTableColumnsAsync("contact", Ct))!;
        columns.Single(c => c.Name == "jobtitle").Type.Should().Be(ColumnStorageType.String);
        if (LimitsStringLength)
        {
            columns.Single(c => c.Name == "fullname").MaxLength.Should().Be(200);
            columns.Single(c => c.Name == "numberofchildren").Type.Should().Be(ColumnStorageType.Int64);
        }

        var row = (await ReadAsync(wider)).Single();
        row[1].Should().Be("kept");
        row[wider.IndexOf("jobtitle")].Should().BeNull();
        Convert.ToInt64(row[wider.IndexOf("numberofchildren")], System.Globalization.CultureInfo.InvariantCulture).Should().Be(3);

        var unbounded = Wider(layout, nameLength: null, extra: true);
        await Target.AlterTableAsync(unbounded, [new ColumnChange(ColumnChangeKind.Widen, unbounded.Find("fullname")!)], Ct);
        await Target.AlterTableAsync(unbounded, [new ColumnChange(ColumnChangeKind.Drop, unbounded.Find("jobtitle")!)], Ct);
        await Target.AlterTableAsync(unbounded, [new ColumnChange(ColumnChangeKind.Drop, unbounded.Find("jobtitle")!)], Ct);

        (await Target.GetTableColumnsAsync("contact", Ct))!.Select(c => c.Name).Should().NotContain("jobtitle");
        (await ReadAsync(Wider(layout, nameLength: null, extra: false))).Single()[1].Should().Be("kept");
    }

    [TargetFact]
    public async Task A_too_long_value_is_quarantined_until_the_column_is_widened()
    {
        var layout = await SmallTableAsync();
        var id = Guid.NewGuid();
        var long150 = TestRows.LongText(150);

        var first = await CommitAsync(layout, [TestRows.Small(layout, id, 7, long150)]);

        if (!LimitsStringLength)
        {
            first.Should().Be(new CommitResult(1, 0, 0), "SQLite text has no length to exceed");
            return;
        }

        first.Should().Be(new CommitResult(0, 0, 1));
        (await Target.LoadQuarantineAsync("contact", Ct)).Single().Should().BeEquivalentTo(new { RecordId = id, VersionNumber = 7L, ColumnName = "fullname" });

        var wider = Wider(layout, nameLength: 200, extra: false);
        await Target.AlterTableAsync(wider, [new ColumnChange(ColumnChangeKind.Widen, wider.Find("fullname")!)], Ct);
        (await CommitAsync(wider, [TestRows.Small(wider, id, 7, long150)])).Should().Be(new CommitResult(1, 0, 0), "the replayed row fits now");

        (await ReadAsync(wider)).Single()[1].Should().Be(long150);
        (await Target.LoadQuarantineAsync("contact", Ct)).Should().BeEmpty();
    }

    [TargetFact]
    public async Task Changes_that_would_lose_data_are_refused_and_nothing_is_altered()
    {
        var layout = await SmallTableAsync();
        var narrower = Wider(layout, nameLength: 50, extra: true);
        var before = await Target.GetTableColumnsAsync("contact", Ct);

        var act = () => Target.AlterTableAsync(narrower, [
            new ColumnChange(ColumnChangeKind.Add, narrower.Find("jobtitle")!),
            new ColumnChange(ColumnChangeKind.Widen, narrower.Find("fullname")!),
        ], Ct);
        if (LimitsStringLength)
        {
            (await act.Should().ThrowAsync<ColumnChangeRejectedException>()).Which.Column.Should().Be("fullname");
            (await Target.GetTableColumnsAsync("contact", Ct)).Should().BeEquivalentTo(before, o => o.WithStrictOrdering());
        }

        var key = () => Target.AlterTableAsync(layout, [new ColumnChange(ColumnChangeKind.Drop, layout.Columns[0])], Ct);
        await key.Should().ThrowAsync<ColumnChangeRejectedException>();
        var type = () => Target.AlterTableAsync(layout, [new ColumnChange(ColumnChangeKind.Widen, layout.Find("modifiedon")! with { Type = ColumnStorageType.String })], Ct);
        await type.Should().ThrowAsync<ColumnChangeRejectedException>();
    }

    [TargetFact]
    public async Task Ensuring_an_existing_table_widens_what_the_layout_declares_wider_and_nothing_else()
    {
        var layout = await SmallTableAsync();
        var id = Guid.NewGuid();
        await CommitAsync(layout, [TestRows.Small(layout, id, 1, "kept", children: 3)]);
        var wider = Wider(layout, nameLength: 250, extra: true);

        await Target.EnsureTableAsync(wider, Ct);

        var columns = (await Target.GetTableColumnsAsync("contact", Ct))!;
        columns.Select(c => c.Name).Should().NotContain("jobtitle", "adding columns is the drift planner's decision");
        if (LimitsStringLength)
        {
            columns.Single(c => c.Name == "fullname").MaxLength.Should().Be(250);
            columns.Single(c => c.Name == "numberofchildren").Type.Should().Be(ColumnStorageType.Int64);
        }

        await Target.EnsureTableAsync(Wider(layout, nameLength: 50, extra: false), Ct);
        (await Target.GetTableColumnsAsync("contact", Ct))!.Single(c => c.Name == "fullname").MaxLength.Should().Be(LimitsStringLength ? 250 : null, "never narrowed");
        (await ReadAsync(layout)).Single()[1].Should().Be("kept");
    }

    [TargetFact]
    public async Task Decimal_places_are_widened_keeping_values()
    {
        var layout = TestSchemas.EverythingLayout();
        await Target.EnsureTableAsync(layout, Ct);
        var row = TestRows.Typical(layout, Guid.NewGuid(), 1);
        row[layout.IndexOf("revenue")] = 12345.6789m;
        await CommitAsync(layout, [row]);
        var revenue = layout.Find("revenue")! with { Precision = 6 };

        await Target.AlterTableAsync(layout, [new ColumnChange(ColumnChangeKind.Widen, revenue)], Ct);

        var read = (await ReadAsync(layout)).Single()[layout.IndexOf("revenue")];
        ((decimal)read!).Should().Be(12345.6789m);
    }

    /// <summary><see cref="TestSchemas.Small"/> with fullname of another length and, optionally, a new jobtitle column; numberofchildren as bigint.</summary>
    private static TableLayout Wider(TableLayout small, int? nameLength, bool extra)
    {
        var schema = TestSchemas.Small();
        var attributes = schema.Attributes
            .Select(a => a.LogicalName switch
            {
                "fullname" => a with { Kind = nameLength is null ? AttributeKind.Memo : AttributeKind.String, MaxLength = nameLength },
                "numberofchildren" => a with { Kind = AttributeKind.BigInt },
                _ => a,
            })
            .ToList();
        if (extra)
        {
            attributes.Add(new AttributeSchema { LogicalName = "jobtitle", Kind = AttributeKind.String, MaxLength = 100 });
        }

        return TableLayout.Create(schema with { Attributes = attributes }, options: small.Options);
    }
}
