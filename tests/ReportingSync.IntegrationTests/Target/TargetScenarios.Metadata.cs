using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>
/// The metadata tables and label views, on the real DQT model (<see cref="DqtModel"/>: the 55 reporting tables and
/// their option sets as the simulator serves them and the Dataverse client reads them). Expected values come straight
/// from the two JSON files (<see cref="DqtReference"/>).
/// </summary>
public abstract partial class TargetScenarios
{
    [TargetFact]
    public async Task Metadata_tables_hold_every_option_of_the_DQT_option_sets_with_their_labels()
    {
        var entities = (await DqtModel.AllAsync()).Select(s => (s, TableLayout.Create(s))).ToList();

        await Target.SyncMetadataAsync(entities, Ct);

        // Expected straight from the two JSON files: an int column with a set named <Entity>_<column> is a local choice.
        var (local, global) = DqtReference.ExpectedOptions();

        var storedLocal = await QueryAsync($"SELECT \"EntityName\", \"OptionSetName\", \"Option\", \"LocalizedLabel\", \"LocalizedLabelLanguageCode\" FROM {DataTable("OptionSetMetadata")};");
        storedLocal.Select(r => ((string)r[0]!, (string)r[1]!, Int(r[2]), (string)r[3]!)).Should().BeEquivalentTo(local);
        storedLocal.Should().OnlyContain(r => Int(r[4]) == 1033);
        local.Should().HaveCountGreaterThan(200, "the DQT model has hundreds of local options");

        var storedGlobal = await QueryAsync($"SELECT \"OptionSetName\", \"Option\", \"LocalizedLabel\", \"GlobalOptionSetName\" FROM {DataTable("GlobalOptionSetMetadata")};");
        storedGlobal.Select(r => ((string)r[0]!, Int(r[1]), (string)r[2]!, (string)r[3]!)).Should().BeEquivalentTo(global);
        global.Should().Contain(("dfeta_inductionstatus", 389040004, "Pass", "dfeta_InductionStatus"));

        var status = await QueryAsync($"SELECT \"State\", \"Status\", \"LocalizedLabel\" FROM {DataTable("StatusMetadata")} WHERE \"EntityName\" = 'dfeta_induction';");
        status.Select(r => (Int(r[0]), Int(r[1]), (string)r[2]!)).Should().BeEquivalentTo(DqtReference.ExpectedStatuses("dfeta_induction"));
        var states = await QueryAsync($"SELECT \"State\", \"LocalizedLabel\" FROM {DataTable("StateMetadata")} WHERE \"EntityName\" = 'contact';");
        states.Select(r => (Int(r[0]), (string)r[1]!)).Should().BeEquivalentTo([(0, "Active"), (1, "Inactive")]);

        var attributes = await QueryAsync($"SELECT \"EntityName\", \"AttributeName\", \"AttributeType\", \"AttributeTypeCode\", \"Version\", \"MaxLength\", \"Precision\" FROM {DataTable("AttributeMetadata")};");
        attributes.Should().HaveCount(entities.Sum(e => e.s.Attributes.Count(a => a.LogicalName == e.s.PrimaryIdAttribute || e.Item2.Find(a.LogicalName) is not null)));
        var byName = attributes.ToDictionary(r => ((string)r[0]!, (string)r[1]!));
        byName[("dfeta_induction", "versionnumber")][2].Should().Be("BigInt");
        Int(byName[("dfeta_induction", "versionnumber")][3]).Should().Be(18);
        Int(byName[("dfeta_induction", "statuscode")][3]).Should().Be(13);
        Int(byName[("dfeta_induction", "ownerid")][3]).Should().Be(9);
        Int(byName[("dfeta_induction", "dfeta_name")][5]).Should().Be(100);
        Int(byName[("account", "revenue")][6]).Should().Be(2, "account.revenue is decimal(38, 2) in the reference");
        attributes.Should().OnlyContain(r => Convert.ToInt64(r[4], System.Globalization.CultureInfo.InvariantCulture) == 1);

        var targets = await QueryAsync($"SELECT \"ReferencedEntity\", \"ReferencedAttribute\" FROM {DataTable("TargetMetadata")} WHERE \"EntityName\" = 'dfeta_induction' AND \"AttributeName\" = 'dfeta_personid';");
        targets.Select(r => ((string)r[0]!, (string)r[1]!)).Should().Equal(("contact", "contactid"));
    }

    [TargetFact]
    public async Task A_renamed_label_an_added_and_a_removed_option_are_applied_in_one_pass_without_duplicates()
    {
        string[] names = ["dfeta_induction", "contact", "dfeta_teacherstatus"];
        var before = (await Task.WhenAll(names.Select(DqtModel.SchemaAsync))).Select(s => (s, TableLayout.Create(s))).ToList();
        await Target.SyncMetadataAsync(before, Ct);
        var stamped = await ScalarAsync($"SELECT max(\"Timestamp\") FROM {DataTable("AttributeMetadata")};");
        Time.Advance(TimeSpan.FromMinutes(10));

        // What the simulator's admin API does to the org: rename "Pass", add an option, remove one; rename a status.
        static OptionSetSchema Alter(string attribute, OptionSetSchema set) => set.Name switch
        {
            "dfeta_InductionStatus" => set with
            {
                Options = set.Options.Where(o => o.Value != 389040008)
                    .Select(o => o.Value == 389040004 ? o with { Label = "Passed" } : o)
                    .Append(new OptionSchema(389040099, "Exempt (new rule)"))
                    .ToList(),
            },
            "dfeta_induction_statuscode" => set with { Options = set.Options.Select(o => o.Value == 1 ? o with { Label = "Open" } : o).ToList() },
            _ => set,
        };

        var after = before.Select(e => DqtModel.WithOptions(e.s, Alter)).Select(s => (s, TableLayout.Create(s))).ToList();
        await Target.SyncMetadataAsync(after, Ct);

        var global = await QueryAsync($"SELECT \"Option\", \"LocalizedLabel\" FROM {DataTable("GlobalOptionSetMetadata")} WHERE \"OptionSetName\" = 'dfeta_inductionstatus';");
        global.Select(r => Int(r[0])).Should().OnlyHaveUniqueItems().And.HaveCount(DqtReference.OptionSets["dfeta_InductionStatus"].Count).And.NotContain(389040008).And.Contain(389040099);
        global.Single(r => Int(r[0]) == 389040004)[1].Should().Be("Passed");
        (await ScalarAsync($"SELECT \"LocalizedLabel\" FROM {DataTable("StatusMetadata")} WHERE \"EntityName\" = 'dfeta_induction' AND \"Status\" = 1;")).Should().Be("Open");
        Int(await ScalarAsync($"SELECT count(*) FROM {DataTable("StatusMetadata")} WHERE \"EntityName\" = 'dfeta_induction';")).Should().Be(
            DqtReference.OptionSets["dfeta_induction_StatusCode"].Count);
        (await ScalarAsync($"SELECT max(\"Timestamp\") FROM {DataTable("AttributeMetadata")};")).Should().Be(stamped, "no attribute changed");

        await Target.SyncMetadataAsync(after, Ct);
        (await QueryAsync($"SELECT \"Option\" FROM {DataTable("GlobalOptionSetMetadata")} WHERE \"OptionSetName\" = 'dfeta_inductionstatus';")).Should().HaveCount(global.Count);
    }

    [TargetFact]
    public async Task The_labelled_view_shows_the_labels_of_every_choice_column()
    {
        var (layout, schema) = await DqtInductionAsync();
        await Target.SyncMetadataAsync([(schema, layout)], Ct);
        var id = Guid.NewGuid();
        await CommitAsync(layout, [InductionRow(layout, id, 389040004)]);

        var row = (await QueryAsync(
            $"SELECT \"Id\", \"dfeta_inductionstatus\", \"statecode_label\", \"statuscode_label\", \"dfeta_inductionstatus_label\", \"dfeta_inductionexemptionreason_label\" FROM {DataTable("dfeta_induction_labelled")};")).Single();

        Int(row[1]).Should().Be(389040004);
        row[2..].Should().Equal("Active", "Active", "Pass", null);
        var viewColumns = (await QueryAsync($"SELECT * FROM {DataTable("dfeta_induction_labelled")};")).Single().Length;
        viewColumns.Should().Be(layout.Columns.Count + 2 + layout.Columns.Count(c => c.SourceKind is AttributeKind.Picklist or AttributeKind.State or AttributeKind.Status));
    }

    [TargetFact]
    public async Task A_table_created_after_the_metadata_gets_its_labelled_view_from_the_stored_metadata()
    {
        var schema = await DqtModel.SchemaAsync("dfeta_teacherstatus");
        var layout = TableLayout.Create(schema);
        await Target.SyncMetadataAsync([(schema, layout)], Ct);

        await Target.EnsureTableAsync(layout, Ct);
        await CommitAsync(layout, [InductionRow(layout, Guid.NewGuid(), 389040006)]);

        var labels = (await QueryAsync($"SELECT \"dfeta_inductionstatus_label\", \"statuscode_label\" FROM {DataTable("dfeta_teacherstatus_labelled")};")).Single();
        labels.Should().Equal("In Progress", "Active");
    }

    [TargetFact]
    public async Task An_entity_with_its_label_view_turned_off_has_none_and_turning_it_off_drops_it()
    {
        var (layout, schema) = await DqtInductionAsync();
        await Target.SyncMetadataAsync([(schema, layout)], Ct);
        (await QueryAsync($"SELECT count(*) FROM {DataTable("dfeta_induction_labelled")};")).Should().ContainSingle();

        var off = TableLayout.Create(schema, options: layout.Options with { LabelView = false });
        await Target.SyncMetadataAsync([(schema, off)], Ct);
        await Target.EnsureTableAsync(off, Ct);

        var read = () => QueryAsync($"SELECT count(*) FROM {DataTable("dfeta_induction_labelled")};");
        await read.Should().ThrowAsync<System.Data.Common.DbException>();
        (await QueryAsync($"SELECT \"State\" FROM {DataTable("StateMetadata")} WHERE \"EntityName\" = 'dfeta_induction';")).Should().HaveCount(2, "the metadata tables are kept either way");
    }

    protected async Task<(TableLayout Layout, EntitySchema Schema)> DqtInductionAsync()
    {
        var schema = await DqtModel.SchemaAsync("dfeta_induction");
        var layout = TableLayout.Create(schema);
        await Target.EnsureTableAsync(layout, Ct);
        return (layout, schema);
    }

    /// <summary>A DQT row with only the key, version, state (0), status (1) and, for dfeta_induction, the induction status set.</summary>
    protected static object?[] InductionRow(TableLayout layout, Guid id, int? status)
    {
        var row = TestRows.Nulls(layout, id, 1);
        row[layout.IndexOf("statecode")] = 0;
        row[layout.IndexOf("statuscode")] = 1;
        if (layout.IndexOf("dfeta_inductionstatus") is >= 0 and var i)
        {
            row[i] = status;
        }

        return row;
    }

    private static int Int(object? value) => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);
}
