namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>
/// EntityDefinitions answers for contact, shaped like Dataverse's (context, @odata.type, MetadataId, labels in two
/// languages), covering every attribute type the reader keeps or skips.
/// </summary>
internal static class MetadataSample
{
    public const string ContactMetadataId = "608861bc-50a4-4c5f-a02c-21fe1943e2cf";

    public static StubResponse? Respond(string api, RecordedRequest request, string entity = "contact")
    {
        var path = Uri.UnescapeDataString(request.Path);
        var root = $"/api/data/v9.2/EntityDefinitions(LogicalName='{entity}')";
        if (!path.StartsWith(root, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = path[root.Length..];
        if (rest == "")
        {
            return StubResponse.Ok($$"""
                {"@odata.context": "{{api}}$metadata#EntityDefinitions(LogicalName,EntitySetName,PrimaryIdAttribute,PrimaryNameAttribute,ChangeTrackingEnabled,MetadataId)/$entity",
                 "LogicalName": "contact", "EntitySetName": "contacts", "PrimaryIdAttribute": "contactid", "PrimaryNameAttribute": "fullname",
                 "ChangeTrackingEnabled": true, "MetadataId": "{{ContactMetadataId}}"}
                """);
        }

        if (rest == "/Attributes")
        {
            return List(api, "Attributes(LogicalName,AttributeType,AttributeTypeName,IsValidForRead,AttributeOf,MetadataId)", Attributes);
        }

        const string Cast = "/Attributes/Microsoft.Dynamics.CRM.";
        return rest.StartsWith(Cast, StringComparison.Ordinal) && Casts.TryGetValue(rest[Cast.Length..], out var items)
            ? List(api, "Attributes/" + rest[Cast.Length..], items)
            : StubResponse.Error(404, "0x80060888", $"Resource not found for the segment '{rest}'.");
    }

    private static StubResponse List(string api, string context, string items) =>
        StubResponse.Ok($$"""{"@odata.context": "{{api}}$metadata#EntityDefinitions('{{ContactMetadataId}}')/{{context}}", "value": [{{items}}]}""");

    private static string Attribute(string name, string type, string typeName, bool readable = true, string? of = null, int id = 0) =>
        $$"""
        {"@odata.type": "#Microsoft.Dynamics.CRM.{{type}}AttributeMetadata", "LogicalName": "{{name}}", "AttributeType": "{{type}}",
         "AttributeTypeName": {"Value": "{{typeName}}"}, "IsValidForRead": {{(readable ? "true" : "false")}},
         "AttributeOf": {{(of is null ? "null" : $"\"{of}\"")}}, "MetadataId": "00000000-0000-4000-8000-{{id:D12}}"}
        """;

    private static readonly string Attributes = string.Join(",", [
        Attribute("contactid", "Uniqueidentifier", "UniqueidentifierType", id: 1),
        Attribute("fullname", "String", "StringType", id: 2),
        Attribute("description", "Memo", "MemoType", id: 3),
        Attribute("annualincome", "Money", "MoneyType", id: 4),
        Attribute("exchangerate", "Decimal", "DecimalType", id: 5),
        Attribute("address1_latitude", "Double", "DoubleType", id: 6),
        Attribute("birthdate", "DateTime", "DateTimeType", id: 7),
        Attribute("createdon", "DateTime", "DateTimeType", id: 8),
        Attribute("dfeta_qtsdate", "DateTime", "DateTimeType", id: 9),
        Attribute("donotemail", "Boolean", "BooleanType", id: 10),
        Attribute("gendercode", "Picklist", "PicklistType", id: 11),
        Attribute("gendercodename", "Virtual", "VirtualType", of: "gendercode", id: 12),
        Attribute("dfeta_ittprogrammetype", "Picklist", "PicklistType", id: 13),
        Attribute("dfeta_specialisms", "Virtual", "MultiSelectPicklistType", id: 14),
        Attribute("statecode", "State", "StateType", id: 15),
        Attribute("statuscode", "Status", "StatusType", id: 16),
        Attribute("parentcustomerid", "Customer", "CustomerType", id: 17),
        Attribute("parentcustomeridname", "String", "StringType", of: "parentcustomerid", id: 18),
        Attribute("parentcustomeridtype", "EntityName", "EntityNameType", of: "parentcustomerid", id: 19),
        Attribute("ownerid", "Owner", "OwnerType", id: 20),
        Attribute("createdby", "Lookup", "LookupType", id: 21),
        Attribute("versionnumber", "BigInt", "BigIntType", id: 22),
        Attribute("importsequencenumber", "Integer", "IntegerType", id: 23),
        Attribute("entityimage", "Virtual", "ImageType", id: 24),
        Attribute("dfeta_evidence", "Virtual", "FileType", id: 25),
        Attribute("dfeta_secretnote", "String", "StringType", readable: false, id: 26),
        Attribute("dfeta_attendees", "PartyList", "PartyListType", id: 27),
        Attribute("dfeta_managed", "ManagedProperty", "ManagedPropertyType", id: 28),
    ]);

    private static string Label(string english, string? welsh = null, bool userWelsh = false)
    {
        var localized = $$"""{"Label": "{{english}}", "LanguageCode": 1033, "IsManaged": true}""";
        if (welsh is not null)
        {
            localized += $$""", {"Label": "{{welsh}}", "LanguageCode": 1106, "IsManaged": true}""";
        }

        var user = userWelsh
            ? $$"""{"Label": "{{welsh}}", "LanguageCode": 1106, "IsManaged": true}"""
            : $$"""{"Label": "{{english}}", "LanguageCode": 1033, "IsManaged": true}""";
        return "{\"LocalizedLabels\": [" + localized + "], \"UserLocalizedLabel\": " + user + "}";
    }

    private static string Detail(string type, string name, string details) =>
        $$"""{"@odata.type": "#Microsoft.Dynamics.CRM.{{type}}", "LogicalName": "{{name}}", {{details}}, "MetadataId": "00000000-0000-4000-8000-000000000000"}""";

    private static readonly string IttProgrammeTypes = $$"""
        {"Name": "dfeta_ittprogrammetype", "IsGlobal": true, "OptionSetType": "Picklist", "Options": [
          {"Value": 389040000, "Label": {{Label("Core", "Craidd")}}},
          {"Value": 389040001, "Label": {{Label("Graduate teacher programme", "Rhaglen athrawon graddedig")}}}]}
        """;

    private static readonly Dictionary<string, string> Casts = new()
    {
        ["StringAttributeMetadata"] = string.Join(",", [
            Detail("StringAttributeMetadata", "fullname", "\"MaxLength\": 160"),
            Detail("StringAttributeMetadata", "parentcustomeridname", "\"MaxLength\": 160"),
            Detail("StringAttributeMetadata", "dfeta_secretnote", "\"MaxLength\": 100")]),
        ["MemoAttributeMetadata"] = Detail("MemoAttributeMetadata", "description", "\"MaxLength\": 2000"),
        ["MoneyAttributeMetadata"] = Detail("MoneyAttributeMetadata", "annualincome", "\"Precision\": 2, \"PrecisionSource\": 1"),
        ["DecimalAttributeMetadata"] = Detail("DecimalAttributeMetadata", "exchangerate", "\"Precision\": 10"),
        ["DoubleAttributeMetadata"] = Detail("DoubleAttributeMetadata", "address1_latitude", "\"Precision\": 5"),
        ["DateTimeAttributeMetadata"] = string.Join(",", [
            Detail("DateTimeAttributeMetadata", "birthdate", "\"DateTimeBehavior\": {\"Value\": \"DateOnly\"}"),
            Detail("DateTimeAttributeMetadata", "createdon", "\"DateTimeBehavior\": {\"Value\": \"UserLocal\"}"),
            Detail("DateTimeAttributeMetadata", "dfeta_qtsdate", "\"DateTimeBehavior\": {\"Value\": \"TimeZoneIndependent\"}")]),
        ["LookupAttributeMetadata"] = string.Join(",", [
            Detail("CustomerAttributeMetadata", "parentcustomerid", "\"Targets\": [\"account\", \"contact\"]"),
            Detail("OwnerAttributeMetadata", "ownerid", "\"Targets\": [\"systemuser\", \"team\"]"),
            Detail("LookupAttributeMetadata", "createdby", "\"Targets\": [\"systemuser\"]")]),
        ["PicklistAttributeMetadata"] = string.Join(",", [
            Detail("PicklistAttributeMetadata", "gendercode", $$"""
                "OptionSet": {"Name": "contact_gendercode", "IsGlobal": false, "OptionSetType": "Picklist", "Options": [
                  {"Value": 1, "Label": {{Label("Male", "Gwryw", userWelsh: true)}}},
                  {"Value": 2, "Label": {{Label("Female", "Benyw")}}}]},
                "GlobalOptionSet": null
                """),
            Detail("PicklistAttributeMetadata", "dfeta_ittprogrammetype", $"\"OptionSet\": {IttProgrammeTypes}, \"GlobalOptionSet\": {IttProgrammeTypes}")]),
        ["MultiSelectPicklistAttributeMetadata"] = Detail("MultiSelectPicklistAttributeMetadata", "dfeta_specialisms", $$$"""
            "OptionSet": null,
            "GlobalOptionSet": {"Name": "dfeta_specialism", "IsGlobal": true, "OptionSetType": "Picklist", "Options": [
              {"Value": 2, "Label": {"LocalizedLabels": [{"Label": "Clyw", "LanguageCode": 1106}], "UserLocalizedLabel": {"Label": "Clyw", "LanguageCode": 1106} } },
              {"Value": 3, "Label": {{{Label("Vision")}}}}]}
            """),
        ["StateAttributeMetadata"] = Detail("StateAttributeMetadata", "statecode", $$"""
            "OptionSet": {"Name": "contact_statecode", "IsGlobal": false, "OptionSetType": "State", "Options": [
              {"Value": 0, "DefaultStatus": 1, "InvariantName": "Active", "Label": {{Label("Active")}}},
              {"Value": 1, "DefaultStatus": 2, "InvariantName": "Inactive", "Label": {{Label("Inactive")}}}]}
            """),
        ["StatusAttributeMetadata"] = Detail("StatusAttributeMetadata", "statuscode", $$"""
            "OptionSet": {"Name": "contact_statuscode", "IsGlobal": false, "OptionSetType": "Status", "Options": [
              {"Value": 1, "State": 0, "Label": {{Label("Active")}}},
              {"Value": 2, "State": 1, "Label": {{Label("Inactive")}}},
              {"Value": 389040000, "State": 1, "Label": {{Label("Deceased")}}}]}
            """),
    };
}
