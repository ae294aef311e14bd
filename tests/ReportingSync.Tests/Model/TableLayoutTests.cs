using ReportingSync.Model;

namespace ReportingSync.Tests.Model;

public sealed class TableLayoutTests
{
    private static EntitySchema Contact(params AttributeSchema[] extra) => new()
    {
        LogicalName = "contact",
        EntitySetName = "contacts",
        PrimaryIdAttribute = "contactid",
        ChangeTrackingEnabled = true,
        Attributes =
        [
            new() { LogicalName = "contactid", Kind = AttributeKind.Uniqueidentifier },
            new() { LogicalName = "fullname", Kind = AttributeKind.String, MaxLength = 160 },
            new() { LogicalName = "description", Kind = AttributeKind.Memo, MaxLength = 2000 },
            new() { LogicalName = "businesscardattributes", Kind = AttributeKind.String, MaxLength = 4000 },
            new() { LogicalName = "longtext", Kind = AttributeKind.String, MaxLength = 8000 },
            new() { LogicalName = "numberofchildren", Kind = AttributeKind.Integer },
            new() { LogicalName = "versionnumber", Kind = AttributeKind.BigInt },
            new() { LogicalName = "creditlimit", Kind = AttributeKind.Money, Precision = 2 },
            new() { LogicalName = "exchangerate", Kind = AttributeKind.Decimal, Precision = 10 },
            new() { LogicalName = "address1_latitude", Kind = AttributeKind.Double, Precision = 5 },
            new() { LogicalName = "donotemail", Kind = AttributeKind.Boolean },
            new() { LogicalName = "birthdate", Kind = AttributeKind.DateTime, DateTimeBehavior = DateTimeBehavior.DateOnly },
            new() { LogicalName = "modifiedon", Kind = AttributeKind.DateTime },
            new() { LogicalName = "gendercode", Kind = AttributeKind.Picklist },
            new() { LogicalName = "statecode", Kind = AttributeKind.State },
            new() { LogicalName = "dfeta_tags", Kind = AttributeKind.MultiSelectPicklist },
            new() { LogicalName = "ownerid", Kind = AttributeKind.Owner, Targets = ["systemuser", "team"] },
            new() { LogicalName = "owneridtype", Kind = AttributeKind.EntityName, AttributeOf = "ownerid" },
            new() { LogicalName = "owneridname", Kind = AttributeKind.String, MaxLength = 100, AttributeOf = "ownerid" },
            new() { LogicalName = "owneridyominame", Kind = AttributeKind.String, MaxLength = 100, AttributeOf = "ownerid" },
            new() { LogicalName = "processid", Kind = AttributeKind.Uniqueidentifier },
            new() { LogicalName = "fullname_derived", Kind = AttributeKind.String, AttributeOf = "fullname" },
            .. extra,
        ],
    };

    [Fact]
    public void Maps_every_attribute_type_as_DESIGN_md_describes()
    {
        var layout = TableLayout.Create(Contact());
        string Describe(TableColumn c) => $"{c.Name}:{c.Type}:{c.MaxLength}:{c.Precision}:{c.Role}:{c.AttributeName}";

        layout.Columns.Select(Describe).Should().Equal(
            "Id:Guid:::PrimaryId:contactid",
            "fullname:String:160::Value:fullname",
            "description:String:::Value:description",
            "businesscardattributes:String:4000::Value:businesscardattributes",
            "longtext:String:::Value:longtext",
            "numberofchildren:Int32:::Value:numberofchildren",
            "versionnumber:Int64:::Version:versionnumber",
            "creditlimit:Decimal::4:Value:creditlimit",
            "exchangerate:Decimal::10:Value:exchangerate",
            "address1_latitude:Double::5:Value:address1_latitude",
            "donotemail:Boolean:::Value:donotemail",
            "birthdate:Date:::Value:birthdate",
            "modifiedon:DateTime:::Value:modifiedon",
            "gendercode:Int32:::Value:gendercode",
            "statecode:Int32:::Value:statecode",
            "dfeta_tags:String:::Value:dfeta_tags",
            "ownerid:Guid:::LookupId:ownerid",
            "ownerid_entitytype:String:128::LookupEntityType:ownerid",
            "owneridtype:String:4000::LookupEntityType:ownerid",
            "owneridname:String:100::LookupName:ownerid",
            "owneridyominame:String:100::LookupYomiName:ownerid",
            "processid:Guid:::Value:processid");
        layout.VersionOrdinal.Should().Be(6);
        layout.ModifiedOnOrdinal.Should().Be(12);
    }

    [Theory]
    [InlineData(SchemaCompatibility.Standard, 2, 4)]
    [InlineData(SchemaCompatibility.Standard, 0, 4)]
    [InlineData(SchemaCompatibility.Standard, 6, 6)]
    [InlineData(SchemaCompatibility.Des, 2, 2)]
    [InlineData(SchemaCompatibility.Des, 4, 4)]
    public void Money_keeps_the_four_places_Dataverse_stores_in_Standard_and_the_attribute_precision_in_Des(
        SchemaCompatibility compatibility, int precision, int scale)
    {
        // 92.3865 is a real value of a 2-place attribute whose precision comes from the currency (PrecisionSource 2).
        var fee = new AttributeSchema
        {
            LogicalName = "dfeta_fee", Kind = AttributeKind.Money, Precision = precision, PrecisionSource = MoneyPrecisionSource.Currency,
        };

        var layout = TableLayout.Create(Contact(fee), options: new LayoutOptions { Compatibility = compatibility });

        layout.Find("dfeta_fee")!.Precision.Should().Be(scale);
        layout.Find("exchangerate")!.Precision.Should().Be(10, "decimals keep their own precision");
    }

    [Fact]
    public void Des_compatibility_stores_dates_as_datetime_and_doubles_as_decimals()
    {
        var layout = TableLayout.Create(Contact(), options: new LayoutOptions { Compatibility = SchemaCompatibility.Des });

        layout.Find("birthdate")!.Type.Should().Be(ColumnStorageType.DateTime);
        layout.Find("address1_latitude")!.Type.Should().Be(ColumnStorageType.Decimal);
        layout.Find("address1_latitude")!.Precision.Should().Be(5);
        layout.Fingerprint.Should().NotBe(TableLayout.Create(Contact()).Fingerprint);
    }

    [Fact]
    public void Excluded_columns_never_appear_but_the_key_and_version_always_do()
    {
        var selection = new ColumnSelection { Exclude = ["birthdate", "ownerid", "versionnumber", "contactid"] };
        var layout = TableLayout.Create(Contact(), selection);

        layout.Columns.Select(c => c.Name).Should().NotContain(["birthdate", "ownerid", "ownerid_entitytype", "owneridtype", "owneridname"]);
        layout.Columns.Select(c => c.Name).Should().Contain(["Id", "versionnumber"]);
    }

    [Fact]
    public void An_include_list_keeps_only_the_named_columns()
    {
        var layout = TableLayout.Create(Contact(), new ColumnSelection { Include = ["fullname", "ownerid", "owneridname"] });

        layout.Columns.Select(c => c.Name).Should().Equal("Id", "fullname", "versionnumber", "ownerid", "ownerid_entitytype", "owneridname");
    }

    [Theory]
    [InlineData("bad name")]
    [InlineData("x;drop table contact")]
    [InlineData("a\"b")]
    [InlineData("9lives")]
    [InlineData("name]")]
    public void Attribute_names_from_metadata_are_validated(string name)
    {
        var act = () => TableLayout.Create(Contact(new AttributeSchema { LogicalName = name, Kind = AttributeKind.String }));

        act.Should().Throw<InvalidIdentifierException>().WithMessage($"Invalid attribute (contact) name '*");
    }

    [Fact]
    public void A_table_without_versionnumber_cannot_be_replicated()
    {
        var schema = Contact() with { Attributes = Contact().Attributes.Where(a => a.LogicalName != "versionnumber").ToList() };

        var act = () => TableLayout.Create(schema);

        act.Should().Throw<InvalidSchemaException>().WithMessage("Entity 'contact': it has no 'versionnumber' attribute*");
    }

    [Fact]
    public void Column_names_that_collide_are_rejected()
    {
        var act = () => TableLayout.Create(Contact(new AttributeSchema { LogicalName = "ownerid_entitytype", Kind = AttributeKind.String }));

        act.Should().Throw<InvalidSchemaException>().WithMessage("*'ownerid_entitytype' occurs twice*");
    }

    [Fact]
    public void Fingerprint_is_stable_and_changes_with_the_shape()
    {
        TableLayout.Create(Contact()).Fingerprint.Should().Be(TableLayout.Create(Contact()).Fingerprint);
        TableLayout.Create(Contact(new AttributeSchema { LogicalName = "dfeta_new", Kind = AttributeKind.Integer })).Fingerprint
            .Should().NotBe(TableLayout.Create(Contact()).Fingerprint);
    }
}
