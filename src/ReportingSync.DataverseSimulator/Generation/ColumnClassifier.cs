using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Generation;

/// <summary>
/// Picks a value kind and null rate for an attribute from its type and name. Real DQT rows are sparse: most optional
/// columns are null, while the columns every row has (names, audit, ownership, state) are always filled.
/// </summary>
internal static class ColumnClassifier
{
    private const double Optional = 0.7;

    private static readonly HashSet<string> AlwaysFilled = new(StringComparer.Ordinal)
    {
        "createdon", "modifiedon", "createdby", "modifiedby", "ownerid", "owningbusinessunit", "owninguser",
        "statecode", "statuscode", "firstname", "lastname", "fullname", "dfeta_personid", "transactioncurrencyid", "currencyprecision",
    };

    private static readonly Dictionary<string, double> MostlyFilled = new(StringComparer.Ordinal)
    {
        ["birthdate"] = 0.05,
        ["dfeta_trn"] = 0.1,
        ["emailaddress1"] = 0.3,
        ["dfeta_ninumber"] = 0.25,
        ["address1_line1"] = 0.2,
        ["address1_city"] = 0.2,
        ["address1_postalcode"] = 0.2,
        ["mobilephone"] = 0.4,
        ["dfeta_qtsdate"] = 0.5,
        ["dfeta_inductionstatus"] = 0.4,
        ["dfeta_startdate"] = 0.3,
        ["dfeta_completiondate"] = 0.5,
        ["gendercode"] = 0.2,
    };

    public static ColumnGenerator For(EntityDefinition entity, AttributeDefinition attribute)
    {
        var kind = KindFor(entity, attribute);
        double nullRate;
        if (attribute.IsPrimaryName || AlwaysFilled.Contains(attribute.LogicalName)
            || kind is ValueKind.YomiFirstName or ValueKind.YomiLastName or ValueKind.YomiFullName)
        {
            nullRate = 0;
        }
        else if (MostlyFilled.TryGetValue(attribute.LogicalName, out var rate))
        {
            nullRate = rate;
        }
        else
        {
            nullRate = kind == ValueKind.Boolean ? 0.1 : Optional;
        }

        return new ColumnGenerator(entity.LogicalName, attribute, kind, nullRate);
    }

    private static ValueKind KindFor(EntityDefinition entity, AttributeDefinition a)
    {
        var name = a.LogicalName;
        switch (a.Type)
        {
            case AttributeType.State:
                return ValueKind.StateCode;
            case AttributeType.Status:
                return ValueKind.StatusCode;
            case AttributeType.Picklist:
                return ValueKind.Choice;
            case AttributeType.Virtual when a.IsMultiSelect:
                return ValueKind.MultiChoice;
            case AttributeType.Lookup or AttributeType.Customer or AttributeType.Owner:
                return ValueKind.Lookup;
            case AttributeType.Uniqueidentifier:
                return a.IsPrimaryId ? ValueKind.None : ValueKind.Guid;
            case AttributeType.Integer:
                return ValueKind.Integer;
            case AttributeType.BigInt:
                return name == "versionnumber" ? ValueKind.None : ValueKind.BigInt;
            case AttributeType.Decimal or AttributeType.Money:
                return ValueKind.Decimal;
            case AttributeType.Double:
                return ValueKind.Double;
            case AttributeType.Boolean:
                return ValueKind.Boolean;
            case AttributeType.DateTime:
                return DateKind(name, a.Behavior);
            case AttributeType.Memo:
                return ValueKind.Memo;
            case AttributeType.String when a.IsDataColumn:
                return StringKind(entity, a);
            default:
                return ValueKind.None;
        }
    }

    private static ValueKind DateKind(string name, DateTimeBehavior? behavior) => name switch
    {
        "createdon" => ValueKind.CreatedOn,
        "modifiedon" => ValueKind.ModifiedOn,
        "birthdate" or "dfeta_dateofbirth" or "dfeta_newdateofbirth" => ValueKind.BirthDate,
        _ => behavior == DateTimeBehavior.DateOnly ? ValueKind.DateOnly : ValueKind.DateTime,
    };

    private static ValueKind StringKind(EntityDefinition entity, AttributeDefinition a)
    {
        var name = a.LogicalName;
        if (a.IsPrimaryName && name != "fullname")
        {
            return entity.LogicalName is "account" or "dfeta_mqestablishment" || name.Contains("establishment", StringComparison.Ordinal)
                ? ValueKind.OrganisationName
                : entity.LogicalName is "dfeta_country" ? ValueKind.Country : ValueKind.RecordName;
        }

        return name switch
        {
            "firstname" or "dfeta_statedfirstname" or "dfeta_newfirstname" => ValueKind.FirstName,
            "middlename" or "dfeta_statedmiddlename" or "dfeta_newmiddlename" => ValueKind.MiddleName,
            "lastname" or "dfeta_statedlastname" or "dfeta_newlastname" or "dfeta_previouslastname" => ValueKind.LastName,
            "fullname" => ValueKind.FullName,
            "yomifirstname" or "yomimiddlename" => ValueKind.YomiFirstName,
            "yomilastname" => ValueKind.YomiLastName,
            "yomifullname" => ValueKind.YomiFullName,

            // An organisation's yomi name: typed by users who need it, which nobody in the DQT organisation does.
            "yominame" or "yomicompanyname" => ValueKind.None,
            "dfeta_trn" => ValueKind.Trn,
            "dfeta_ninumber" => ValueKind.NiNumber,
            _ when name.Contains("email", StringComparison.Ordinal) => ValueKind.Email,
            _ when name.Contains("phone", StringComparison.Ordinal) || name.Contains("telephone", StringComparison.Ordinal)
                || name.EndsWith("fax", StringComparison.Ordinal) || name is "pager" or "callback" or "home2" or "business2" => ValueKind.Phone,
            _ when name.EndsWith("_line1", StringComparison.Ordinal) => ValueKind.Street,
            _ when name.EndsWith("_city", StringComparison.Ordinal) => ValueKind.City,
            _ when name.EndsWith("_county", StringComparison.Ordinal) || name.EndsWith("_stateorprovince", StringComparison.Ordinal) => ValueKind.County,
            _ when name.EndsWith("_country", StringComparison.Ordinal) => ValueKind.Country,
            _ when name.EndsWith("postalcode", StringComparison.Ordinal) => ValueKind.PostCode,
            _ when name.EndsWith("url", StringComparison.Ordinal) => ValueKind.Url,
            _ when a.MaxLength <= 20 => ValueKind.Code,
            _ => ValueKind.Text,
        };
    }
}
