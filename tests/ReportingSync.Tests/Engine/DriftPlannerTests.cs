using ReportingSync.Engine.Drift;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Tests.Engine;

public sealed class DriftPlannerTests
{
    private static readonly AttributeSchema[] Base =
    [
        new() { LogicalName = "dfeta_inductionid", Kind = AttributeKind.Uniqueidentifier },
        new() { LogicalName = "versionnumber", Kind = AttributeKind.BigInt },
        new() { LogicalName = "dfeta_name", Kind = AttributeKind.String, MaxLength = 100 },
        new() { LogicalName = "dfeta_score", Kind = AttributeKind.Integer },
        new() { LogicalName = "dfeta_fee", Kind = AttributeKind.Decimal, Precision = 2 },
    ];

    /// <summary>The table as the target reports it after a seed with <see cref="Base"/>.</summary>
    private static readonly TargetColumn[] Table =
    [
        new("Id", ColumnStorageType.Guid, null, null, "uuid"),
        new("versionnumber", ColumnStorageType.Int64, null, null, "bigint"),
        new("dfeta_name", ColumnStorageType.String, 100, null, "varchar(100)"),
        new("dfeta_score", ColumnStorageType.Int32, null, null, "integer"),
        new("dfeta_fee", ColumnStorageType.Decimal, null, 2, "numeric(38,2)"),
    ];

    private static EntitySchema Induction(params AttributeSchema[] attributes) => new()
    {
        LogicalName = "dfeta_induction",
        EntitySetName = "dfeta_inductions",
        PrimaryIdAttribute = "dfeta_inductionid",
        ChangeTrackingEnabled = true,
        Attributes = attributes,
    };

    private static DriftPlan Plan(AttributeSchema[] attributes, DriftPolicy? policy = null, ColumnSelection? selection = null, TargetColumn[]? table = null) =>
        DriftPlanner.Plan(Induction(attributes), selection ?? ColumnSelection.All, LayoutOptions.Default, table ?? Table, policy ?? new DriftPolicy());

    private static AttributeSchema[] With(Func<AttributeSchema, AttributeSchema> change, params AttributeSchema[] extra) =>
        [.. Base.Select(change), .. extra];

    [Fact]
    public void Unchanged_metadata_plans_nothing()
    {
        Plan(Base).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void A_new_attribute_is_added_and_backfilled()
    {
        var plan = Plan([.. Base, new() { LogicalName = "dfeta_outcome", Kind = AttributeKind.Picklist }]);

        plan.Steps.Should().ContainSingle().Which.Action.Should().Be(DriftAction.AddColumn);
        plan.NeedsBackfill.Should().BeTrue();
        plan.ColumnChanges.Should().ContainSingle().Which.Should().Be(new ColumnChange(ColumnChangeKind.Add, plan.Layout.Columns.Single(c => c.Name == "dfeta_outcome")));
        plan.Steps[0].ToString().Should().Be("add column dfeta_outcome int32 and backfill it (new attribute dfeta_outcome)");
    }

    [Fact]
    public void A_new_attribute_under_Ignore_stays_out_of_the_layout()
    {
        var plan = Plan([.. Base, new() { LogicalName = "dfeta_outcome", Kind = AttributeKind.Picklist }], new DriftPolicy { NewColumns = NewColumnPolicy.Ignore });

        plan.Steps.Should().ContainSingle().Which.Action.Should().Be(DriftAction.IgnoreNew);
        plan.ChangesTable.Should().BeFalse();
        plan.Layout.Columns.Should().NotContain(c => c.Name == "dfeta_outcome");
    }

    [Fact]
    public void A_new_attribute_under_Fail_fails_naming_it()
    {
        var plan = Plan([.. Base, new() { LogicalName = "dfeta_outcome", Kind = AttributeKind.Picklist }], new DriftPolicy { NewColumns = NewColumnPolicy.Fail });

        plan.Fails.Should().BeTrue();
        plan.Steps[0].ToString().Should().Be("fail: dfeta_outcome is a new attribute and NewColumns is Fail");
    }

    [Fact]
    public void An_excluded_new_attribute_never_appears()
    {
        var plan = Plan([.. Base, new() { LogicalName = "dfeta_secret", Kind = AttributeKind.String, MaxLength = 10 }], selection: new ColumnSelection { Exclude = ["dfeta_secret"] });

        plan.IsEmpty.Should().BeTrue();
    }

    [Theory]
    [InlineData(400, "widen dfeta_name from varchar(100) to string(400) (MaxLength 100 → 400)")]
    [InlineData(5000, "widen dfeta_name from varchar(100) to string(max) (MaxLength 100 → max)")]
    public void A_longer_string_is_widened_in_place(int maxLength, string expected)
    {
        var plan = Plan(With(a => a.LogicalName == "dfeta_name" ? a with { MaxLength = maxLength } : a));

        plan.Steps.Should().ContainSingle().Which.ToString().Should().Be(expected);
        plan.ColumnChanges.Should().ContainSingle().Which.Kind.Should().Be(ColumnChangeKind.Widen);
    }

    [Fact]
    public void A_shorter_string_keeps_the_wider_column()
    {
        Plan(With(a => a.LogicalName == "dfeta_name" ? a with { MaxLength = 50 } : a)).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void More_decimal_places_and_int_to_bigint_widen()
    {
        var plan = Plan(With(a => a.LogicalName switch
        {
            "dfeta_fee" => a with { Precision = 4 },
            "dfeta_score" => a with { Kind = AttributeKind.BigInt },
            _ => a,
        }));

        plan.Steps.Select(s => s.Action).Should().Equal(DriftAction.Widen, DriftAction.Widen);
        plan.NeedsRebuild.Should().BeFalse();
    }

    [Fact]
    public void String_to_integer_rebuilds_or_fails_by_policy()
    {
        var attributes = With(a => a.LogicalName == "dfeta_name" ? a with { Kind = AttributeKind.Integer, MaxLength = null } : a);

        var rebuild = Plan(attributes);
        rebuild.NeedsRebuild.Should().BeTrue();
        rebuild.Steps.Single().ToString().Should().Be("rebuild the table through a shadow re-seed: dfeta_name changed type from varchar(100) to Int32");

        var fail = Plan(attributes, new DriftPolicy { TypeChanges = TypeChangePolicy.Fail });
        fail.Fails.Should().BeTrue();
        fail.Steps.Single().ToString().Should().Be("fail: dfeta_name changed type from varchar(100) to Int32 and TypeChanges is Fail");
    }

    [Fact]
    public void A_removed_attribute_is_kept_by_default_and_dropped_when_configured()
    {
        var attributes = Base.Where(a => a.LogicalName != "dfeta_score").ToArray();

        var keep = Plan(attributes);
        keep.Steps.Single().Action.Should().Be(DriftAction.KeepRemoved);
        keep.ChangesTable.Should().BeFalse();

        var drop = Plan(attributes, new DriftPolicy { RemovedColumns = RemovedColumnPolicy.Drop });
        drop.Steps.Single().ToString().Should().Be("drop column dfeta_score (the attribute is gone from the source; RemovedColumns is Drop)");
        drop.ColumnChanges.Single().Kind.Should().Be(ColumnChangeKind.Drop);
    }

    [Fact]
    public void Each_step_says_what_changed_in_the_source_for_the_SchemaChange_table()
    {
        var widened = Plan(With(
            a => a.LogicalName switch
            {
                "dfeta_name" => a with { MaxLength = 400 },
                "dfeta_fee" => a with { Precision = 4 },
                "dfeta_score" => a with { Kind = AttributeKind.BigInt },
                _ => a,
            },
            new AttributeSchema { LogicalName = "dfeta_mentorname", Kind = AttributeKind.String, MaxLength = 120 }));
        var unbounded = Plan(With(a => a.LogicalName == "dfeta_name" ? a with { MaxLength = 5000 } : a));
        var retyped = Plan(With(a => a.LogicalName == "dfeta_name" ? a with { Kind = AttributeKind.Integer, MaxLength = null } : a));
        var foreign = Plan(Base, table: [.. Table.Where(c => c.Name != "dfeta_name"), new TargetColumn("dfeta_name", null, null, null, "xml")]);
        var removed = Plan(Base.Where(a => a.LogicalName != "dfeta_score").ToArray(), new DriftPolicy { RemovedColumns = RemovedColumnPolicy.Drop });

        Changes(widened).Should().BeEquivalentTo(
        [
            ("dfeta_name", "MaxLength 100 → 400", DriftAction.Widen),
            ("dfeta_score", "type Int32 → Int64", DriftAction.Widen),
            ("dfeta_fee", "precision 2 → 4", DriftAction.Widen),
            ("dfeta_mentorname", "new attribute string(120)", DriftAction.AddColumn),
        ]);
        Changes(unbounded).Should().Equal(("dfeta_name", "MaxLength 100 → max", DriftAction.Widen));
        Changes(retyped).Should().Equal(("dfeta_name", "type String → Int32", DriftAction.Rebuild));
        Changes(foreign).Should().Equal(("dfeta_name", "type xml → String", DriftAction.Rebuild));
        Changes(removed).Should().Equal(("dfeta_score", "attribute removed", DriftAction.DropColumn));

        static IEnumerable<(string, string, DriftAction)> Changes(DriftPlan plan) => plan.Steps.Select(s => (s.ColumnName, s.DescribeChange(), s.Action));
    }

    [Fact]
    public void Columns_the_replicator_manages_are_never_planned_away()
    {
        var table = Table.Append(new TargetColumn(SyncColumns.SinkCreatedOn, ColumnStorageType.DateTime, null, null, "timestamp")).ToArray();

        Plan(Base, new DriftPolicy { RemovedColumns = RemovedColumnPolicy.Drop }, table: table).IsEmpty.Should().BeTrue();
    }

    [Fact]
    public void Entity_overrides_win_over_the_global_policy_member_by_member()
    {
        var global = new DriftPolicy { NewColumns = NewColumnPolicy.Ignore, RemovedColumns = RemovedColumnPolicy.Drop };
        var effective = new DriftPolicyOverride { NewColumns = NewColumnPolicy.Fail }.Over(global);

        effective.NewColumns.Should().Be(NewColumnPolicy.Fail);
        effective.RemovedColumns.Should().Be(RemovedColumnPolicy.Drop);
        effective.TypeChanges.Should().Be(TypeChangePolicy.Rebuild);
    }
}
