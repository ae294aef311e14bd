using ReportingSync.Dataverse;
using ReportingSync.Model;

namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>
/// A realistic slice of the contact table (the shapes of DQT's contact): every replicated attribute kind, lookups with
/// their derived name/type attributes, and Web API rows exactly as dataverse-webapi.md describes them.
/// </summary>
internal static class ContactSample
{
    public const string RowId1 = "7e0a1b2c-3d4e-4f50-8a9b-0c1d2e3f4a5b";
    public const string RowId2 = "0b9f7c1e-2d3a-4b5c-9d6e-7f8091a2b3c4";
    public const string DeletedId = "5a5a5a5a-1111-4222-8333-944444444444";
    public const string AccountId = "11111111-2222-4333-8444-555555555555";
    public const string UserId = "99999999-8888-4777-8666-555555555555";
    public const string TeamId = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

    public static EntitySchema Schema { get; } = new()
    {
        LogicalName = "contact",
        EntitySetName = "contacts",
        PrimaryIdAttribute = "contactid",
        PrimaryNameAttribute = "fullname",
        ChangeTrackingEnabled = true,
        Attributes =
        [
            new() { LogicalName = "address1_latitude", Kind = AttributeKind.Double, Precision = 5 },
            new() { LogicalName = "annualincome", Kind = AttributeKind.Money, Precision = 2 },
            new() { LogicalName = "birthdate", Kind = AttributeKind.DateTime, DateTimeBehavior = DateTimeBehavior.DateOnly },
            new() { LogicalName = "contactid", Kind = AttributeKind.Uniqueidentifier },
            new() { LogicalName = "createdby", Kind = AttributeKind.Lookup, Targets = ["systemuser"] },
            new() { LogicalName = "createdbyname", Kind = AttributeKind.String, AttributeOf = "createdby", MaxLength = 100 },
            new() { LogicalName = "createdon", Kind = AttributeKind.DateTime },
            new() { LogicalName = "description", Kind = AttributeKind.Memo, MaxLength = 2000 },
            new() { LogicalName = "dfeta_qtsdate", Kind = AttributeKind.DateTime, DateTimeBehavior = DateTimeBehavior.TimeZoneIndependent },
            new() { LogicalName = "dfeta_specialisms", Kind = AttributeKind.MultiSelectPicklist },
            new() { LogicalName = "dfeta_trn", Kind = AttributeKind.String, MaxLength = 7 },
            new() { LogicalName = "donotemail", Kind = AttributeKind.Boolean },
            new() { LogicalName = "exchangerate", Kind = AttributeKind.Decimal, Precision = 10 },
            new() { LogicalName = "fullname", Kind = AttributeKind.String, MaxLength = 160 },
            new() { LogicalName = "gendercode", Kind = AttributeKind.Picklist },
            new() { LogicalName = "importsequencenumber", Kind = AttributeKind.Integer },
            new() { LogicalName = "modifiedon", Kind = AttributeKind.DateTime },
            new() { LogicalName = "ownerid", Kind = AttributeKind.Owner, Targets = ["systemuser", "team"] },
            new() { LogicalName = "owneridname", Kind = AttributeKind.String, AttributeOf = "ownerid", MaxLength = 100 },
            new() { LogicalName = "owneridtype", Kind = AttributeKind.EntityName, AttributeOf = "ownerid" },
            new() { LogicalName = "owneridyominame", Kind = AttributeKind.String, AttributeOf = "ownerid", MaxLength = 100 },
            new() { LogicalName = "parentcustomerid", Kind = AttributeKind.Customer, Targets = ["account", "contact"] },
            new() { LogicalName = "parentcustomeridname", Kind = AttributeKind.String, AttributeOf = "parentcustomerid", MaxLength = 160 },
            new() { LogicalName = "parentcustomeridtype", Kind = AttributeKind.EntityName, AttributeOf = "parentcustomerid" },
            new() { LogicalName = "stageid", Kind = AttributeKind.Uniqueidentifier },
            new() { LogicalName = "statecode", Kind = AttributeKind.State },
            new() { LogicalName = "statuscode", Kind = AttributeKind.Status },
            new() { LogicalName = "timezoneruleversionnumber", Kind = AttributeKind.Integer },
            new() { LogicalName = "versionnumber", Kind = AttributeKind.BigInt },
        ],
    };

    public static TableLayout Layout { get; } = TableLayout.Create(Schema);

    public static TableLayout DesLayout { get; } = TableLayout.Create(Schema, options: new LayoutOptions { Compatibility = SchemaCompatibility.Des });

    /// <summary>Without the lookup name columns: only the lookuplogicalname annotation is needed.</summary>
    public static TableLayout LayoutWithoutNames { get; } = TableLayout.Create(
        Schema, new ColumnSelection { Exclude = ["createdbyname", "owneridname", "owneridyominame", "parentcustomeridname"] });

    public const string Select =
        "contactid,address1_latitude,annualincome,birthdate,_createdby_value,createdon,description,dfeta_qtsdate,dfeta_specialisms," +
        "dfeta_trn,donotemail,exchangerate,fullname,gendercode,importsequencenumber,modifiedon,_ownerid_value,_parentcustomerid_value," +
        "stageid,statecode,statuscode,timezoneruleversionnumber,versionnumber";

    /// <summary>A fully populated row, with the annotations Dataverse adds (some we use, some we ignore).</summary>
    public const string FullRow = $$"""
        {
          "@odata.etag": "W/\"915244\"",
          "contactid": "{{RowId1}}",
          "address1_latitude": 51.50722,
          "annualincome": 20000.0000,
          "annualincome@OData.Community.Display.V1.FormattedValue": "£20,000.00",
          "birthdate": "1987-04-07",
          "_createdby_value": "{{UserId}}",
          "_createdby_value@Microsoft.Dynamics.CRM.lookuplogicalname": "systemuser",
          "_createdby_value@Microsoft.Dynamics.CRM.associatednavigationproperty": "createdby",
          "_createdby_value@OData.Community.Display.V1.FormattedValue": "Integration User",
          "createdon": "2023-04-07T21:59:01Z",
          "description": "Line one\nLine \"two\" — 引用 😀 שלום",
          "dfeta_qtsdate": "2021-09-01T00:00:00Z",
          "dfeta_specialisms": "2,3,8,9",
          "dfeta_trn": "1234567",
          "donotemail": true,
          "exchangerate": 1.0000000001,
          "fullname": "Zoë O'Brien-Ødegård",
          "gendercode": 2,
          "gendercode@OData.Community.Display.V1.FormattedValue": "Female",
          "importsequencenumber": -5,
          "modifiedon": "2024-11-02T08:15:30.123Z",
          "_ownerid_value": "{{TeamId}}",
          "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "team",
          "_ownerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty": "ownerid",
          "_ownerid_value@OData.Community.Display.V1.FormattedValue": "Teaching Regulation Agency",
          "_parentcustomerid_value": "{{AccountId}}",
          "_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname": "account",
          "_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty": "parentcustomerid_account",
          "_parentcustomerid_value@OData.Community.Display.V1.FormattedValue": "Bishop's Stortford College",
          "stageid": "00000000-0000-0000-0000-000000000001",
          "statecode": 0,
          "statecode@OData.Community.Display.V1.FormattedValue": "Active",
          "statuscode": 1,
          "timezoneruleversionnumber": 4,
          "versionnumber": 915244,
          "someunknownfield": {"nested": [1, 2, {"deep": true}]},
          "_unknownlookup_value": "12345678-1234-4234-8234-123456789012"
        }
        """;

    /// <summary>Only a few columns present, the rest null or absent.</summary>
    public const string SparseRow = $$"""
        {
          "@odata.etag": "W/\"915300\"",
          "contactid": "{{RowId2}}",
          "fullname": null,
          "annualincome": null,
          "_parentcustomerid_value": null,
          "versionnumber": 915300
        }
        """;

    public const string DeletedRow = $$"""
        {"@odata.context": "{api}$metadata#contacts/$deletedEntity", "id": "{{DeletedId}}", "reason": "deleted"}
        """;

    /// <summary>A nextLink as Dataverse returns it: the skiptoken holds a double-encoded paging cookie.</summary>
    public static string NextLink(string api) =>
        api + "contacts?$select=fullname,versionnumber&$skiptoken=%3Ccookie%20pagenumber=%222%22%20pagingcookie=%22%253ccookie%2520page%253d%25221%2522%253e%253ccontactid%2520last%253d%2522%257b7E0A1B2C-3D4E-4F50-8A9B-0C1D2E3F4A5B%257d%2522%2520first%253d%2522%257b0B9F7C1E-2D3A-4B5C-9D6E-7F8091A2B3C4%257d%2522%2520%252f%253e%253c%252fcookie%253e%22%20istracking=%22True%22%20/%3E";

    /// <summary>A deltaLink as Dataverse returns it: the token holds %21, %2f and %3a.</summary>
    /// <remarks>Its $select is the layout's, as Dataverse repeats the select of the read that produced it.</remarks>
    public static string DeltaLink(string api) =>
        api + "contacts?$select=" + LayoutSelect + "&$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44";

    /// <summary>The <c>$select</c> the client sends for <see cref="Layout"/>.</summary>
    public static string LayoutSelect => RowDecoderPlan.For(Layout).Select;

    public static string Page(string api, string? nextLink, string? deltaLink, bool delta, params string[] rows)
    {
        var context = delta ? $"{api}$metadata#contacts/$delta" : $"{api}$metadata#contacts";
        var links = (nextLink is null ? "" : $",\n\"@odata.nextLink\": \"{nextLink}\"") + (deltaLink is null ? "" : $",\n\"@odata.deltaLink\": \"{deltaLink}\"");
        return $$$"""{"@odata.context": "{{{context}}}", "value": [{{{string.Join(",", rows).Replace("{api}", api)}}}]{{{links}}}}""";
    }

    public static object? Value(RowBatch batch, int row, string column)
    {
        var ordinal = batch.Layout.IndexOf(column);
        ordinal.Should().BeGreaterThanOrEqualTo(0, $"layout should have column {column}");
        return batch[row][ordinal];
    }
}
