using System.Text.Json;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

public class ModelDerivationTests
{
    private static readonly IReadOnlyList<EntityDefinition> Model = ReferenceModelBuilder.BuildAll();

    [Fact]
    public void Every_DES_column_of_all_55_tables_is_explained_by_an_attribute_rule()
    {
        var tables = ReferenceFiles.Tables();
        tables.EnumerateObject().Should().HaveCount(55);
        var explained = 0;
        foreach (var table in tables.EnumerateObject())
        {
            var entity = Model.Single(e => e.LogicalName == table.Name);
            foreach (var column in table.Value.EnumerateArray())
            {
                var name = column[0].GetString()!;
                var sqlType = column[1].GetString()!;
                Explain(entity, name, sqlType).Should().BeTrue($"{table.Name}.{name} ({sqlType}) must map back to its SQL type");
                explained++;
            }
        }

        explained.Should().Be(3507);
    }

    [Fact]
    public void No_attribute_is_invented_except_the_two_unreplicable_contact_attributes()
    {
        foreach (var table in ReferenceFiles.Tables().EnumerateObject())
        {
            var entity = Model.Single(e => e.LogicalName == table.Name);
            var columns = table.Value.EnumerateArray().Select(c => c[0].GetString()!).ToHashSet();
            var invented = entity.Attributes
                .Where(a => !a.IsPrimaryId && !columns.Contains(a.LogicalName))
                .Select(a => a.LogicalName);
            invented.Should().BeEquivalentTo(table.Name == "contact" ? ["entityimage", "dfeta_passwordhash"] : Array.Empty<string>());
        }
    }

    [Fact]
    public void Contact_has_the_derivations_the_client_depends_on()
    {
        var contact = Model.Single(e => e.LogicalName == "contact");
        contact.EntitySetName.Should().Be("contacts");
        contact.PrimaryIdAttribute.Should().Be("contactid");
        contact.PrimaryNameAttribute.Should().Be("fullname");
        contact.ChangeTrackingEnabled.Should().BeTrue();

        contact.Find("ownerid")!.Type.Should().Be(AttributeType.Owner);
        contact.Find("ownerid")!.Targets.Should().Equal("systemuser", "team");
        contact.Find("parentcustomerid")!.Type.Should().Be(AttributeType.Customer);
        contact.Find("parentcustomerid")!.Targets.Should().Equal("account", "contact");
        contact.Find("createdby")!.Targets.Should().Equal("systemuser");
        contact.Find("parentcustomeridname")!.AttributeOf.Should().Be("parentcustomerid");
        contact.Find("parentcustomeridyominame")!.AttributeOf.Should().Be("parentcustomerid");
        contact.Find("owneridtype")!.Type.Should().Be(AttributeType.EntityName);
        contact.Find("owneridtype")!.AttributeOf.Should().Be("ownerid");
        contact.Find("ownerid_entitytype").Should().BeNull();

        contact.Find("description")!.Type.Should().Be(AttributeType.Memo);
        contact.Find("description")!.MaxLength.Should().Be(1048576);
        contact.Find("dfeta_ninumber")!.MaxLength.Should().Be(9);
        contact.Find("birthdate")!.Behavior.Should().Be(DateTimeBehavior.DateOnly);
        contact.Find("dfeta_qtsdate")!.Behavior.Should().Be(DateTimeBehavior.DateOnly);
        contact.Find("dfeta_tssupdate")!.Behavior.Should().Be(DateTimeBehavior.TimeZoneIndependent);
        contact.Find("createdon")!.Behavior.Should().Be(DateTimeBehavior.UserLocal);
        contact.Find("creditlimit")!.Type.Should().Be(AttributeType.Money);
        contact.Find("creditlimit_base")!.Precision.Should().Be(4);
        contact.Find("exchangerate")!.Type.Should().Be(AttributeType.Decimal);
        contact.Find("exchangerate")!.Precision.Should().Be(10);
        contact.Find("address1_latitude")!.Type.Should().Be(AttributeType.Double);
        contact.Find("versionnumber")!.Type.Should().Be(AttributeType.BigInt);
        contact.Find("donotemail")!.Type.Should().Be(AttributeType.Boolean);

        contact.Find("gendercode")!.OptionSet!.Name.Should().Be("contact_gendercode");
        contact.Find("gendercode")!.OptionSet!.IsGlobal.Should().BeFalse();
        contact.Find("dfeta_inductionstatus")!.OptionSet!.IsGlobal.Should().BeTrue();
        contact.Find("dfeta_inductionstatus")!.OptionSet!.Name.Should().Be("dfeta_InductionStatus");
        contact.Find("statecode")!.OptionSet!.Options.Select(o => (o.Value, o.Label)).Should().Equal((0, "Active"), (1, "Inactive"));
        contact.Find("statuscode")!.OptionSet!.Options.Should().Contain(o => o.Value == 1 && o.State == 0)
            .And.Contain(o => o.Value == 2 && o.State == 1);
        contact.Find("dfeta_title")!.Type.Should().Be(AttributeType.Integer);

        contact.Find("entityimage")!.Type.Should().Be(AttributeType.Virtual);
        contact.Find("entityimage")!.TypeName.Should().Be("ImageType");
        contact.Find("dfeta_passwordhash")!.IsValidForRead.Should().BeFalse();
    }

    [Theory]
    [InlineData("accountleads", "accountleadscollection")]
    [InlineData("contactleads", "contactleadscollection")]
    [InlineData("dfeta_country", "dfeta_countries")]
    [InlineData("dfeta_tsstcohorts", "dfeta_tsstcohortses")]
    [InlineData("transactioncurrency", "transactioncurrencies")]
    [InlineData("dfeta_induction", "dfeta_inductions")]
    [InlineData("systemuser", "systemusers")]
    public void Entity_set_names_follow_Dataverse_pluralisation(string logicalName, string setName) =>
        Model.Single(e => e.LogicalName == logicalName).EntitySetName.Should().Be(setName);

    [Fact]
    public void Metadata_ids_are_stable_and_unique()
    {
        var again = ReferenceModelBuilder.BuildAll();
        var ids = Model.SelectMany(e => e.Attributes.Select(a => a.MetadataId).Append(e.MetadataId)).ToList();
        ids.Should().OnlyHaveUniqueItems();
        again.SelectMany(e => e.Attributes.Select(a => a.MetadataId).Append(e.MetadataId)).Should().Equal(ids);
    }

    [Fact]
    public void Lookup_targets_point_at_model_tables_where_the_name_allows()
    {
        var induction = Model.Single(e => e.LogicalName == "dfeta_induction");
        induction.Find("dfeta_personid")!.Targets.Should().Equal("contact");
        var account = Model.Single(e => e.LogicalName == "account");
        account.Find("primarycontactid")!.Targets.Should().Equal("contact");
        account.Find("owningbusinessunit")!.Targets.Should().Equal("businessunit");
    }

    private static bool Explain(EntityDefinition entity, string column, string sqlType)
    {
        if (column == "Id")
        {
            return entity.Find(entity.PrimaryIdAttribute) is { IsPrimaryId: true, Type: AttributeType.Uniqueidentifier }
                && sqlType.StartsWith("uniqueidentifier", StringComparison.Ordinal);
        }

        if (column.EndsWith("_entitytype", StringComparison.Ordinal) && entity.Find(column[..^"_entitytype".Length]) is { IsLookup: true })
        {
            return sqlType == "nvarchar(128)" && entity.Find(column) is null;
        }

        return entity.Find(column) is { } attribute && ReverseSqlType(attribute) == sqlType;
    }

    /// <summary>The DDL generator's direction: attribute → DES column type.</summary>
    private static string ReverseSqlType(AttributeDefinition a) => a.Type switch
    {
        AttributeType.Uniqueidentifier or AttributeType.Lookup or AttributeType.Customer or AttributeType.Owner => "uniqueidentifier",
        AttributeType.Memo => "nvarchar(max)",
        AttributeType.String => $"nvarchar({a.MaxLength})",
        AttributeType.EntityName => "nvarchar(4000)",
        AttributeType.Integer or AttributeType.Picklist or AttributeType.State or AttributeType.Status => "int",
        AttributeType.BigInt => "bigint",
        AttributeType.DateTime => "datetime",
        AttributeType.Decimal or AttributeType.Money or AttributeType.Double => $"decimal(38, {a.Precision})",
        AttributeType.Boolean => "bit",
        _ => "?",
    };
}
