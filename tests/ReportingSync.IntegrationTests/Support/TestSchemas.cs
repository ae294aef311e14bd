using ReportingSync.Model;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>Hand-made Dataverse schemas for target tests.</summary>
public static class TestSchemas
{
    /// <summary>
    /// A table with every <see cref="AttributeKind"/>: lookups (two columns each) with derived name and type
    /// attributes, DateOnly and time-zone-independent dates, money and decimal precisions, memo, multi-select, a
    /// derived attribute of a non-lookup (skipped by the layout), and long strings (text columns).
    /// </summary>
    public static EntitySchema Everything(string logicalName = "account") => new()
    {
        LogicalName = logicalName,
        EntitySetName = logicalName + "s",
        PrimaryIdAttribute = logicalName + "id",
        PrimaryNameAttribute = "name",
        ChangeTrackingEnabled = true,
        Attributes =
        [
            A(logicalName + "id", AttributeKind.Uniqueidentifier),
            A("name", AttributeKind.String) with { MaxLength = 100 },
            A("yominame", AttributeKind.String) with { MaxLength = 100, AttributeOf = "name" },
            A("emailaddress1", AttributeKind.String) with { MaxLength = 4000 },
            A("websiteurl", AttributeKind.String) with { MaxLength = 10000 },
            A("description", AttributeKind.Memo) with { MaxLength = 2000 },
            A("numberofemployees", AttributeKind.Integer),
            A("importsequencenumber", AttributeKind.BigInt),
            A("exchangerate", AttributeKind.Decimal) with { Precision = 10 },
            A("revenue", AttributeKind.Money) with { Precision = 4 },
            A("creditlimit", AttributeKind.Money) with { Precision = 2 },
            A("address1_latitude", AttributeKind.Double) with { Precision = 5 },
            A("donotemail", AttributeKind.Boolean),
            A("createdon", AttributeKind.DateTime),
            A("modifiedon", AttributeKind.DateTime),
            A("birthdate", AttributeKind.DateTime) with { DateTimeBehavior = DateTimeBehavior.DateOnly },
            A("lastonholdtime", AttributeKind.DateTime) with { DateTimeBehavior = DateTimeBehavior.TimeZoneIndependent },
            A("industrycode", AttributeKind.Picklist),
            A("statecode", AttributeKind.State),
            A("statuscode", AttributeKind.Status),
            A("interests", AttributeKind.MultiSelectPicklist),
            A("parentaccountid", AttributeKind.Lookup) with { Targets = ["account"] },
            A("parentaccountidname", AttributeKind.String) with { MaxLength = 160, AttributeOf = "parentaccountid" },
            A("ownerid", AttributeKind.Owner) with { Targets = ["systemuser", "team"] },
            A("owneridname", AttributeKind.String) with { MaxLength = 200, AttributeOf = "ownerid" },
            A("owneridtype", AttributeKind.EntityName) with { AttributeOf = "ownerid" },
            A("customerid", AttributeKind.Customer) with { Targets = ["account", "contact"] },
            A("objecttypecode", AttributeKind.EntityName),
            A("processid", AttributeKind.Uniqueidentifier),
            A("versionnumber", AttributeKind.BigInt),
        ],
    };

    /// <summary>Id, name, versionnumber, modifiedon: enough for protocol tests.</summary>
    public static EntitySchema Small(string logicalName = "contact", string nameColumn = "fullname") => new()
    {
        LogicalName = logicalName,
        EntitySetName = logicalName + "s",
        PrimaryIdAttribute = logicalName + "id",
        ChangeTrackingEnabled = true,
        Attributes =
        [
            A(logicalName + "id", AttributeKind.Uniqueidentifier),
            A(nameColumn, AttributeKind.String) with { MaxLength = 100 },
            A("numberofchildren", AttributeKind.Integer),
            A("modifiedon", AttributeKind.DateTime),
            A("versionnumber", AttributeKind.BigInt),
        ],
    };

    public static TableLayout EverythingLayout(bool softDeletes = false, string logicalName = "account") =>
        TableLayout.Create(Everything(logicalName), options: new LayoutOptions { SoftDeletes = softDeletes });

    public static TableLayout SmallLayout(bool softDeletes = false, string logicalName = "contact", string nameColumn = "fullname") =>
        TableLayout.Create(Small(logicalName, nameColumn), options: new LayoutOptions { SoftDeletes = softDeletes });

    private static AttributeSchema A(string name, AttributeKind kind) => new() { LogicalName = name, Kind = kind, MetadataId = Guid.NewGuid() };
}
