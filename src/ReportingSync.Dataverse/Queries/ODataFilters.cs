using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>Builds <c>$filter</c> expressions on the primary id (OData v4 GUID literals are unquoted).</summary>
public static class ODataFilters
{
    /// <summary>
    /// <c>contactid ge A and contactid lt B</c> for a key-range partition; either bound may be open. Note that Dataverse
    /// compares GUIDs as SQL Server does (last six bytes first), so ranges must be cut in that order.
    /// </summary>
    public static string? KeyRange(string primaryIdAttribute, Guid? fromInclusive, Guid? toExclusive)
    {
        var attribute = Identifier.Validate(primaryIdAttribute, "primary id attribute");
        var filter = new StringBuilder();
        if (fromInclusive is { } from)
        {
            filter.Append(attribute).Append(" ge ").Append(from.ToString("D"));
        }

        if (toExclusive is { } to)
        {
            filter.Append(filter.Length > 0 ? " and " : "").Append(attribute).Append(" lt ").Append(to.ToString("D"));
        }

        return filter.Length > 0 ? filter.ToString() : null;
    }

    /// <summary><c>contactid eq A or contactid eq B ...</c>.</summary>
    public static string AnyId(string primaryIdAttribute, IEnumerable<Guid> ids)
    {
        var attribute = Identifier.Validate(primaryIdAttribute, "primary id attribute");
        return string.Join(" or ", ids.Select(id => $"{attribute} eq {id:D}"));
    }
}
