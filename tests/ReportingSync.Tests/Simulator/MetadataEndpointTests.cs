using System.Net;
using System.Text.Json;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

public sealed class MetadataEndpointTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _host = await SimulatorFactory.StartAsync();
        _client = SimulatorFactory.Client(_host);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task EntityDefinitions_filters_and_selects_like_the_service()
    {
        var body = await _client.GetOkAsync(
            "EntityDefinitions?$select=LogicalName,SchemaName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,ChangeTrackingEnabled&$filter=LogicalName eq 'contact'");

        body.Str("@odata.context").Should().Be(_host.BaseUrl + "/api/data/v9.2/$metadata#EntityDefinitions(LogicalName,SchemaName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,ChangeTrackingEnabled)");
        var contact = body.Values().Single();
        contact.Str("LogicalName").Should().Be("contact");
        contact.Str("SchemaName").Should().Be("Contact");
        contact.Str("EntitySetName").Should().Be("contacts");
        contact.Str("PrimaryIdAttribute").Should().Be("contactid");
        contact.Str("PrimaryNameAttribute").Should().Be("fullname");
        contact.GetProperty("ChangeTrackingEnabled").GetBoolean().Should().BeTrue();
        contact.TryGetProperty("MetadataId", out _).Should().BeTrue();

        var tracked = await _client.GetOkAsync("EntityDefinitions?$select=LogicalName&$filter=ChangeTrackingEnabled eq true");
        tracked.Values().Select(v => v.Str("LogicalName")).Should().BeEquivalentTo(SimulatorFactory.SmallModel);
    }

    [Fact]
    public async Task A_missing_table_is_404_with_a_Dataverse_error()
    {
        var (response, body) = await _client.GetJsonAsync("EntityDefinitions(LogicalName='nosuchtable')?$select=LogicalName");
        response.StatusCode.Should().Be(HttpStatusCode.NotFound);
        body.Error().Code.Should().Be("0x80060888");
        body.Error().Message.Should().Contain("nosuchtable");
    }

    [Fact]
    public async Task Attributes_carry_their_odata_type_and_type_name_objects()
    {
        var body = await _client.GetOkAsync(
            "EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName,AttributeType,AttributeTypeName,IsValidForRead,AttributeOf");
        body.Str("@odata.context").Should().EndWith("$metadata#EntityDefinitions('contact')/Attributes(LogicalName,AttributeType,AttributeTypeName,IsValidForRead,AttributeOf)");
        var byName = body.Values().ToDictionary(a => a.Str("LogicalName")!);

        byName["fullname"].Str("@odata.type").Should().Be("#Microsoft.Dynamics.CRM.StringAttributeMetadata");
        byName["fullname"].GetProperty("AttributeTypeName").GetProperty("Value").GetString().Should().Be("StringType");
        byName["parentcustomerid"].Str("AttributeType").Should().Be("Customer");
        byName["parentcustomerid"].Str("@odata.type").Should().Be("#Microsoft.Dynamics.CRM.LookupAttributeMetadata");
        byName["ownerid"].Str("AttributeType").Should().Be("Owner");
        byName["parentcustomeridname"].Str("AttributeOf").Should().Be("parentcustomerid");
        byName["fullname"].GetProperty("AttributeOf").ValueKind.Should().Be(JsonValueKind.Null);
        byName["entityimage"].Str("AttributeType").Should().Be("Virtual");
        byName["entityimage"].GetProperty("AttributeTypeName").GetProperty("Value").GetString().Should().Be("ImageType");
        byName["dfeta_passwordhash"].GetProperty("IsValidForRead").GetBoolean().Should().BeFalse();
        byName["versionnumber"].Str("AttributeType").Should().Be("BigInt");
        byName.Should().NotContainKey("ownerid_entitytype");
    }

    [Fact]
    public async Task Selecting_a_derived_property_without_a_cast_is_refused()
    {
        var (response, body) = await _client.GetJsonAsync("EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName,MaxLength");
        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        body.Error().Message.Should().Be("Could not find a property named 'MaxLength' on type 'Microsoft.Dynamics.CRM.AttributeMetadata'.");
    }

    [Fact]
    public async Task String_and_memo_casts_give_MaxLength()
    {
        var strings = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.StringAttributeMetadata?$select=LogicalName,MaxLength");
        var byName = strings.Values().ToDictionary(a => a.Str("LogicalName")!);
        byName["dfeta_ninumber"].GetProperty("MaxLength").GetInt32().Should().Be(9);
        byName["fullname"].GetProperty("MaxLength").GetInt32().Should().Be(160);
        byName.Should().NotContainKey("description");

        var memos = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.MemoAttributeMetadata?$select=LogicalName,MaxLength");
        memos.Values().Should().Contain(a => a.Str("LogicalName") == "description" && a.GetProperty("MaxLength").GetInt32() == 1048576);
    }

    [Fact]
    public async Task Number_casts_give_precision_and_range()
    {
        var money = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.MoneyAttributeMetadata?$select=LogicalName,Precision,PrecisionSource,MinValue,MaxValue");
        var creditLimit = money.Values().Single(a => a.Str("LogicalName") == "creditlimit");
        creditLimit.GetProperty("Precision").GetInt32().Should().Be(2);
        creditLimit.GetProperty("PrecisionSource").GetInt32().Should().Be(2, "the currency's precision is the documented default");
        creditLimit.GetProperty("MaxValue").GetDecimal().Should().BeGreaterThan(0);
        money.Values().Single(a => a.Str("LogicalName") == "creditlimit_base").GetProperty("Precision").GetInt32().Should().Be(4);

        var decimals = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.DecimalAttributeMetadata?$select=LogicalName,Precision");
        decimals.Values().Should().ContainSingle(a => a.Str("LogicalName") == "exchangerate" && a.GetProperty("Precision").GetInt32() == 10);

        var doubles = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.DoubleAttributeMetadata?$select=LogicalName,Precision");
        doubles.Values().Should().Contain(a => a.Str("LogicalName") == "address1_latitude" && a.GetProperty("Precision").GetInt32() == 5);
    }

    [Fact]
    public async Task DateTime_cast_gives_format_and_behaviour()
    {
        var body = await _client.GetOkAsync("EntityDefinitions(LogicalName='dfeta_induction')/Attributes/Microsoft.Dynamics.CRM.DateTimeAttributeMetadata?$select=LogicalName,Format,DateTimeBehavior");
        var byName = body.Values().ToDictionary(a => a.Str("LogicalName")!);
        byName["dfeta_startdate"].Str("Format").Should().Be("DateOnly");
        byName["dfeta_startdate"].GetProperty("DateTimeBehavior").GetProperty("Value").GetString().Should().Be("DateOnly");
        byName["createdon"].Str("Format").Should().Be("DateAndTime");
        byName["createdon"].GetProperty("DateTimeBehavior").GetProperty("Value").GetString().Should().Be("UserLocal");
    }

    [Fact]
    public async Task Lookup_cast_includes_customer_and_owner_with_targets()
    {
        var body = await _client.GetOkAsync("EntityDefinitions(LogicalName='dfeta_induction')/Attributes/Microsoft.Dynamics.CRM.LookupAttributeMetadata?$select=LogicalName,Targets");
        var byName = body.Values().ToDictionary(a => a.Str("LogicalName")!, a => a.GetProperty("Targets").EnumerateArray().Select(t => t.GetString()).ToList());
        byName["dfeta_personid"].Should().Equal("contact");
        byName["ownerid"].Should().Equal("systemuser", "team");
        byName["createdby"].Should().Equal("systemuser");
    }

    [Fact]
    public async Task Picklists_expand_local_and_global_option_sets_with_labels()
    {
        var body = await _client.GetOkAsync("EntityDefinitions(LogicalName='dfeta_induction')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet,GlobalOptionSet");
        var status = body.Values().Single(a => a.Str("LogicalName") == "dfeta_inductionstatus");
        var optionSet = status.GetProperty("OptionSet");
        optionSet.GetProperty("IsGlobal").GetBoolean().Should().BeTrue();
        optionSet.Str("Name").Should().Be("dfeta_InductionStatus");
        optionSet.Str("OptionSetType").Should().Be("Picklist");
        status.GetProperty("GlobalOptionSet").GetProperty("MetadataId").GetString().Should().Be(optionSet.Str("MetadataId"));
        var pass = optionSet.GetProperty("Options").EnumerateArray().Single(o => o.GetProperty("Value").GetInt32() == 389040004);
        pass.GetProperty("Label").GetProperty("UserLocalizedLabel").Str("Label").Should().Be("Pass");
        var localized = pass.GetProperty("Label").GetProperty("LocalizedLabels")[0];
        localized.Str("Label").Should().Be("Pass");
        localized.GetProperty("LanguageCode").GetInt32().Should().Be(1033);

        var contact = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='gendercode')/Microsoft.Dynamics.CRM.PicklistAttributeMetadata?$select=LogicalName&$expand=OptionSet,GlobalOptionSet");
        contact.Str("@odata.context").Should().EndWith("/$entity");
        contact.GetProperty("OptionSet").GetProperty("IsGlobal").GetBoolean().Should().BeFalse();
        contact.GetProperty("GlobalOptionSet").ValueKind.Should().Be(JsonValueKind.Null);
        contact.GetProperty("OptionSet").GetProperty("Options").EnumerateArray()
            .Select(o => o.GetProperty("Label").GetProperty("UserLocalizedLabel").Str("Label")).Should().Equal("Male", "Female", "Other");
    }

    [Fact]
    public async Task Status_options_carry_their_state()
    {
        var body = await _client.GetOkAsync("EntityDefinitions(LogicalName='dfeta_induction')/Attributes/Microsoft.Dynamics.CRM.StatusAttributeMetadata?$select=LogicalName&$expand=OptionSet");
        var options = body.Values().Single().GetProperty("OptionSet").GetProperty("Options").EnumerateArray()
            .ToDictionary(o => o.GetProperty("Value").GetInt32(), o => o.GetProperty("State").GetInt32());
        options.Should().Equal(new Dictionary<int, int> { [1] = 0, [2] = 1 });

        var state = await _client.GetOkAsync("EntityDefinitions(LogicalName='dfeta_induction')/Attributes/Microsoft.Dynamics.CRM.StateAttributeMetadata?$select=LogicalName&$expand=OptionSet");
        state.Values().Single().GetProperty("OptionSet").GetProperty("Options").EnumerateArray()
            .Select(o => o.GetProperty("Label").GetProperty("UserLocalizedLabel").Str("Label")).Should().Equal("Active", "Inactive");
    }

    [Fact]
    public async Task One_attribute_by_logical_name()
    {
        var body = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='dfeta_trn')?$select=LogicalName,AttributeType");
        body.Str("LogicalName").Should().Be("dfeta_trn");
        body.Str("AttributeType").Should().Be("String");
        body.Str("@odata.type").Should().Be("#Microsoft.Dynamics.CRM.StringAttributeMetadata");
    }

    [Fact]
    public async Task Attribute_filter_on_AttributeOf_and_type()
    {
        var body = await _client.GetOkAsync("EntityDefinitions(LogicalName='contact')/Attributes?$select=LogicalName&$filter=AttributeOf eq null and AttributeType eq Microsoft.Dynamics.CRM.AttributeTypeCode'Picklist'");
        var names = body.Values().Select(a => a.Str("LogicalName")).ToList();
        names.Should().Contain(["gendercode", "dfeta_inductionstatus"]);
        names.Should().NotContain("statuscode");
    }

    [Fact]
    public async Task Global_option_sets_are_readable_by_name()
    {
        var list = await _client.GetOkAsync("GlobalOptionSetDefinitions?$select=Name");
        list.Values().Select(v => v.Str("Name")).Should().Contain("dfeta_InductionStatus");

        var set = await _client.GetOkAsync("GlobalOptionSetDefinitions(Name='dfeta_InductionStatus')");
        set.GetProperty("IsGlobal").GetBoolean().Should().BeTrue();
        set.GetProperty("Options").GetArrayLength().Should().Be(9);
    }
}
