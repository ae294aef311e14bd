namespace ReportingSync.DataverseSimulator.Model;

/// <summary>
/// Targets of a lookup attribute. Owner → systemuser, team; Customer → account, contact; a known map for the system
/// lookups (createdby, modifiedby, createdonbehalfby, modifiedonbehalfby, owninguser → systemuser; owningteam → team;
/// owningbusinessunit → businessunit; transactioncurrencyid → transactioncurrency; dfeta_personid, dfeta_person →
/// contact; masterid → the table itself). Otherwise strip a trailing <c>id</c>; if the rest names a reference table,
/// that table; else if it ends with a reference table's name (or, for dfeta_ tables, with the name after the
/// prefix), the longest such table (parentcontactid → contact, dfeta_he_countryid → dfeta_country); else the stripped
/// name itself.
/// </summary>
internal static class LookupTargets
{
    private static readonly Dictionary<string, string> Known = new(StringComparer.Ordinal)
    {
        ["createdby"] = "systemuser",
        ["modifiedby"] = "systemuser",
        ["createdonbehalfby"] = "systemuser",
        ["modifiedonbehalfby"] = "systemuser",
        ["owninguser"] = "systemuser",
        ["owningteam"] = "team",
        ["owningbusinessunit"] = "businessunit",
        ["transactioncurrencyid"] = "transactioncurrency",
        ["dfeta_personid"] = "contact",
        ["dfeta_person"] = "contact",
    };

    public static string[] For(string entity, string attribute, AttributeType type, IReadOnlyCollection<string> tables)
    {
        if (type == AttributeType.Owner)
        {
            return ["systemuser", "team"];
        }

        if (type == AttributeType.Customer)
        {
            return ["account", "contact"];
        }

        if (Known.TryGetValue(attribute, out var known))
        {
            return [known];
        }

        if (attribute == "masterid")
        {
            return [entity];
        }

        var stripped = attribute.EndsWith("id", StringComparison.Ordinal) ? attribute[..^2] : attribute;
        if (tables.Contains(stripped))
        {
            return [stripped];
        }

        var best = tables
            .Where(t => stripped.EndsWith(t, StringComparison.Ordinal)
                || (t.StartsWith("dfeta_", StringComparison.Ordinal) && stripped.EndsWith(t["dfeta_".Length..], StringComparison.Ordinal)))
            .OrderByDescending(t => t.Length)
            .FirstOrDefault();
        return [best ?? stripped];
    }
}
