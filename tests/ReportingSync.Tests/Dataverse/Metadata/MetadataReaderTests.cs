using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Tests.Dataverse.Support;

namespace ReportingSync.Tests.Dataverse.Metadata;

public sealed class MetadataReaderTests : LoopbackSourceTests
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Stub.Respond(r => MetadataSample.Respond(Stub.Api, r) ?? StubResponse.Error(404, "0x80060888", "Could not find entity"));
    }

    [Fact]
    public async Task The_table_definition_and_its_readable_attributes_become_an_EntitySchema()
    {
        var schema = await Sut.Source.GetEntitySchemaAsync("contact", CancellationToken.None);

        schema.LogicalName.Should().Be("contact");
        schema.EntitySetName.Should().Be("contacts");
        schema.PrimaryIdAttribute.Should().Be("contactid");
        schema.PrimaryNameAttribute.Should().Be("fullname");
        schema.ChangeTrackingEnabled.Should().BeTrue();
        schema.MetadataId.Should().Be(Guid.Parse(MetadataSample.ContactMetadataId));
        schema.Attributes.Select(a => a.LogicalName).Should().Equal(
            "address1_latitude", "annualincome", "birthdate", "contactid", "createdby", "createdon", "description", "dfeta_ittprogrammetype",
            "dfeta_qtsdate", "dfeta_specialisms", "donotemail", "exchangerate", "fullname", "gendercode", "importsequencenumber", "ownerid",
            "parentcustomerid", "parentcustomeridname", "parentcustomeridtype", "statecode", "statuscode", "versionnumber");

        A("fullname").Should().BeEquivalentTo(new { Kind = AttributeKind.String, MaxLength = 160, AttributeOf = (string?)null });
        A("fullname").MetadataId.Should().Be(Guid.Parse("00000000-0000-4000-8000-000000000002"));
        A("description").Should().BeEquivalentTo(new { Kind = AttributeKind.Memo, MaxLength = 2000 });
        A("annualincome").Should().BeEquivalentTo(new { Kind = AttributeKind.Money, Precision = 2, PrecisionSource = MoneyPrecisionSource.Organization });
        A("exchangerate").PrecisionSource.Should().BeNull("only money has a precision source");
        A("exchangerate").Should().BeEquivalentTo(new { Kind = AttributeKind.Decimal, Precision = 10 });
        A("address1_latitude").Should().BeEquivalentTo(new { Kind = AttributeKind.Double, Precision = 5 });
        A("birthdate").DateTimeBehavior.Should().Be(DateTimeBehavior.DateOnly);
        A("createdon").DateTimeBehavior.Should().Be(DateTimeBehavior.UserLocal);
        A("dfeta_qtsdate").DateTimeBehavior.Should().Be(DateTimeBehavior.TimeZoneIndependent);
        A("donotemail").Kind.Should().Be(AttributeKind.Boolean);
        A("importsequencenumber").Kind.Should().Be(AttributeKind.Integer);
        A("versionnumber").Kind.Should().Be(AttributeKind.BigInt);
        A("contactid").Kind.Should().Be(AttributeKind.Uniqueidentifier);
        A("parentcustomerid").Should().BeEquivalentTo(new { Kind = AttributeKind.Customer, Targets = new[] { "account", "contact" } });
        A("ownerid").Should().BeEquivalentTo(new { Kind = AttributeKind.Owner, Targets = new[] { "systemuser", "team" } });
        A("createdby").Should().BeEquivalentTo(new { Kind = AttributeKind.Lookup, Targets = new[] { "systemuser" } });
        A("parentcustomeridname").Should().BeEquivalentTo(new { Kind = AttributeKind.String, AttributeOf = "parentcustomerid", MaxLength = 160 });
        A("parentcustomeridtype").Should().BeEquivalentTo(new { Kind = AttributeKind.EntityName, AttributeOf = "parentcustomerid" });

        AttributeSchema A(string name) => schema.FindAttribute(name) ?? throw new InvalidOperationException($"{name} missing");
    }

    [Fact]
    public async Task Choices_carry_their_option_sets_with_English_labels_and_status_options_carry_their_state()
    {
        var schema = await Sut.Source.GetEntitySchemaAsync("contact", CancellationToken.None);

        schema.FindAttribute("gendercode")!.OptionSet.Should().BeEquivalentTo(new OptionSetSchema
        {
            Name = "contact_gendercode",
            IsGlobal = false,
            Options = [new OptionSchema(1, "Male"), new OptionSchema(2, "Female")],
        });
        schema.FindAttribute("dfeta_ittprogrammetype")!.OptionSet.Should().BeEquivalentTo(new OptionSetSchema
        {
            Name = "dfeta_ittprogrammetype",
            IsGlobal = true,
            Options = [new OptionSchema(389040000, "Core"), new OptionSchema(389040001, "Graduate teacher programme")],
        });
        var specialisms = schema.FindAttribute("dfeta_specialisms")!;
        specialisms.Kind.Should().Be(AttributeKind.MultiSelectPicklist);
        specialisms.OptionSet.Should().BeEquivalentTo(new OptionSetSchema
        {
            Name = "dfeta_specialism",
            IsGlobal = true,
            Options = [new OptionSchema(2, "Clyw", 1106), new OptionSchema(3, "Vision")],
        });
        schema.FindAttribute("statecode")!.OptionSet!.Options.Should().Equal(new OptionSchema(0, "Active"), new OptionSchema(1, "Inactive"));
        schema.FindAttribute("statuscode")!.OptionSet!.Options.Should().Equal(
            new OptionSchema(1, "Active", 1033, 0), new OptionSchema(2, "Inactive", 1033, 1), new OptionSchema(389040000, "Deceased", 1033, 1));
    }

    [Fact]
    public async Task It_asks_for_the_definition_the_attributes_and_one_cast_per_type_present()
    {
        await Sut.Source.GetEntitySchemaAsync("contact", CancellationToken.None);

        var targets = Stub.Requests.Select(r => Uri.UnescapeDataString(r.RawTarget)).ToList();
        const string Root = "/api/data/v9.2/EntityDefinitions(LogicalName='contact')";
        targets.Should().BeEquivalentTo(
            Root + "?$select=LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,ChangeTrackingEnabled,MetadataId",
            Root + "/Attributes?$select=LogicalName,AttributeType,AttributeTypeName,IsValidForRead,AttributeOf,MetadataId",
            Root + "/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,MaxLength",
            Root + "/Attributes/Microsoft.Dynamics.CRM.MemoAttributeMetadata?$select=LogicalName,MaxLength",
            Root + "/Attributes/Microsoft.Dynamics.CRM.MoneyAttributeMetadata?$select=LogicalName,Precision,PrecisionSource",
            Root + "/Attributes/Microsoft.Dynamics.CRM.DecimalAttributeMetadata?$select=LogicalName,Precision",
            Root + "/Attributes/Microsoft.Dynamics.CRM.DoubleAttributeMetadata?$select=LogicalName,Precision",
            Root + "/Attributes/Microsoft.Dynamics.CRM.DateTimeAttributeMetadata?$select=LogicalName,DateTimeBehavior",
            Root + "/Attributes/Microsoft.Dynamics.CRM.LookupAttributeMetadata?$select=LogicalName,Targets",
            Root + "/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet,GlobalOptionSet",
            Root + "/Attributes/Microsoft.Dynamics.CRM.MultiSelectPicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet,GlobalOptionSet",
            Root + "/Attributes/Microsoft.Dynamics.CRM.StateAttributeMetadata?$select=LogicalName&$expand=OptionSet",
            Root + "/Attributes/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$select=LogicalName&$expand=OptionSet");
    }

    [Fact]
    public async Task Skipped_attributes_are_logged_with_the_reason()
    {
        await Sut.Source.GetEntitySchemaAsync("contact", CancellationToken.None);

        var skipped = Sut.Logs.Lines.Where(l => l.Id.Id == 3006).Select(l => l.Text).ToList();
        skipped.Should().HaveCount(6);
        skipped.Should().Contain(l => l.StartsWith("Skipping attribute contact.dfeta_secretnote (type String/StringType): not valid for read."));
        skipped.Should().Contain(l => l.StartsWith("Skipping attribute contact.entityimage (type Virtual/ImageType): type not replicated."));
        Sut.Logs.Lines.Should().Contain(l => l.Id.Id == 3005 && l.Text.StartsWith(
            "Read the metadata of contact: 22 attributes kept, 6 skipped; change tracking enabled: True."));
    }

    [Fact]
    public async Task The_schema_makes_a_layout_with_lookup_type_and_name_columns()
    {
        var schema = await Sut.Source.GetEntitySchemaAsync("contact", CancellationToken.None);

        var layout = TableLayout.Create(schema);

        layout.Find("parentcustomerid")!.Role.Should().Be(ColumnRole.LookupId);
        layout.Find("parentcustomerid_entitytype")!.Role.Should().Be(ColumnRole.LookupEntityType);
        layout.Find("parentcustomeridtype")!.Role.Should().Be(ColumnRole.LookupEntityType);
        layout.Find("parentcustomeridname")!.Role.Should().Be(ColumnRole.LookupName);
        layout.Find("birthdate")!.Type.Should().Be(ColumnStorageType.Date);
    }

    [Fact]
    public async Task An_unknown_table_is_EntityNotFound()
    {
        var act = () => Sut.Source.GetEntitySchemaAsync("nosuchtable", CancellationToken.None);

        (await act.Should().ThrowAsync<EntityNotFoundException>()).Which.Message.Should().Be("Dataverse has no table with logical name 'nosuchtable'.");
    }

    [Fact]
    public async Task A_bad_table_name_is_refused_before_any_request()
    {
        var act = () => Sut.Source.GetEntitySchemaAsync("contact')/x?$y=('", CancellationToken.None);

        await act.Should().ThrowAsync<InvalidIdentifierException>();
        Stub.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_remote_attribute_name_that_is_not_an_identifier_is_refused()
    {
        Stub.Respond(r => Uri.UnescapeDataString(r.Path).EndsWith("/Attributes", StringComparison.Ordinal)
            ? StubResponse.Ok("""{"value": [{"LogicalName": "name]; drop table x; --", "AttributeType": "String", "AttributeTypeName": {"Value": "StringType"}, "IsValidForRead": true, "MetadataId": "00000000-0000-0000-0000-000000000001"}]}""")
            : MetadataSample.Respond(Stub.Api, r)!);

        var act = () => Sut.Source.GetEntitySchemaAsync("contact", CancellationToken.None);

        (await act.Should().ThrowAsync<InvalidIdentifierException>()).Which.Message.Should().StartWith("Invalid attribute (contact) name 'name]; drop table x; --'");
    }

    [Fact]
    public async Task A_table_with_few_types_costs_few_requests()
    {
        Stub.Respond(r => Uri.UnescapeDataString(r.Path) switch
        {
            var p when p.EndsWith("/Attributes", StringComparison.Ordinal) => StubResponse.Ok("""
                {"value": [
                  {"LogicalName": "contactid", "AttributeType": "Uniqueidentifier", "AttributeTypeName": {"Value": "UniqueidentifierType"}, "IsValidForRead": true, "AttributeOf": null, "MetadataId": "00000000-0000-0000-0000-000000000001"},
                  {"LogicalName": "versionnumber", "AttributeType": "BigInt", "AttributeTypeName": {"Value": "BigIntType"}, "IsValidForRead": true, "AttributeOf": null, "MetadataId": "00000000-0000-0000-0000-000000000002"},
                  {"LogicalName": "fullname", "AttributeType": "String", "AttributeTypeName": {"Value": "StringType"}, "IsValidForRead": true, "AttributeOf": null, "MetadataId": "00000000-0000-0000-0000-000000000003"}]}
                """),
            _ => MetadataSample.Respond(Stub.Api, r)!,
        });

        var schema = await Sut.Source.GetEntitySchemaAsync("contact", CancellationToken.None);

        schema.Attributes.Should().HaveCount(3);
        Stub.Requests.Should().HaveCount(3, "definition, attributes and the String cast");
    }
}
