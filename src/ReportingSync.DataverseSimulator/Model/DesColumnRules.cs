namespace ReportingSync.DataverseSimulator.Model;

/// <summary>
/// How a column of the Data Export Service (DES) reporting schema maps to a Dataverse attribute. The team's DDL
/// generator reverses these rules (attribute → column), so each one is stated exactly. Evaluated per table, in
/// column order; the first matching rule wins.
/// <list type="number">
/// <item><c>Id</c> (uniqueidentifier primary key) → the primary id attribute <c>&lt;entity&gt;id</c>, Uniqueidentifier.</item>
/// <item><c>X_entitytype</c> nvarchar(128), where <c>X</c> is a uniqueidentifier column of the same table → no attribute
/// (it carries the lookup's target table); it makes <c>X</c> a lookup.</item>
/// <item>uniqueidentifier <c>X</c> that has an <c>X_entitytype</c> column → <c>ownerid</c>: Owner (targets systemuser, team);
/// <c>customerid</c>/<c>parentcustomerid</c>: Customer (targets account, contact); otherwise Lookup with one target
/// (see <see cref="LookupTargets"/>).</item>
/// <item>any other uniqueidentifier → Uniqueidentifier.</item>
/// <item>nvarchar <c>Xyominame</c> or <c>Xname</c> where <c>X</c> is a lookup of the table → String, MaxLength n,
/// <c>AttributeOf = X</c> (a derived value: not selectable, not replicated as its own column).</item>
/// <item>nvarchar(4000) <c>Xtype</c> where <c>X</c> is a lookup → EntityName, <c>AttributeOf = X</c>.</item>
/// <item>nvarchar(max) → Memo, MaxLength 1048576; nvarchar(n) → String, MaxLength n.</item>
/// <item>int <c>statecode</c> → State (options from <c>&lt;Entity&gt;_StateCode</c> if present, else 0 Active, 1 Inactive);
/// int <c>statuscode</c> → Status (options from <c>&lt;Entity&gt;_StatusCode</c>, else 1 Active, 2 Inactive; each option's
/// State: 1 → 0, 2 → 1, others 0 unless the label contains "inactive"); int with a local option set named
/// <c>&lt;Entity&gt;_&lt;attribute&gt;</c> (case-insensitive) → Picklist (local set); int whose name equals a global option
/// set's name lower-cased → Picklist (global set, IsGlobal true); any other int → Integer.</item>
/// <item>bigint → BigInt.</item>
/// <item>datetime → DateTime. Behaviour by name: ending in <c>update</c> → TimeZoneIndependent; else ending in
/// <c>date</c> → DateOnly (Format DateOnly); else UserLocal (Format DateAndTime).</item>
/// <item>decimal(38, p) → name ending in <c>latitude</c>/<c>longitude</c>: Double; name ending in <c>_base</c>, or
/// containing revenue, creditlimit, aging30, aging60, aging90, annualincome, marketcap, price, amount or cost: Money;
/// otherwise Decimal. Precision p in every case.</item>
/// <item>bit → Boolean.</item>
/// </list>
/// Not from DES columns: on contact only, <c>entityimage</c> (Virtual, AttributeTypeName ImageType) and
/// <c>dfeta_passwordhash</c> (String, IsValidForRead false), which a replicating client must skip.
/// PrimaryNameAttribute: the first present of fullname, name, dfeta_name, title, subject; else the first non-derived
/// String attribute whose name ends in "name"; else the first non-derived String attribute.
/// </summary>
internal static class DesColumnRules
{
    public const string EntityTypeSuffix = "_entitytype";

    public const int MemoMaxLength = 1048576;

    public static readonly string[] PrimaryNameCandidates = ["fullname", "name", "dfeta_name", "title", "subject"];

    private static readonly string[] MoneyWords =
        ["revenue", "creditlimit", "aging30", "aging60", "aging90", "annualincome", "marketcap", "price", "amount", "cost"];

    public static DateTimeBehavior BehaviorFor(string attributeName)
    {
        if (attributeName.EndsWith("update", StringComparison.Ordinal))
        {
            return DateTimeBehavior.TimeZoneIndependent;
        }

        return attributeName.EndsWith("date", StringComparison.Ordinal) ? DateTimeBehavior.DateOnly : DateTimeBehavior.UserLocal;
    }

    public static AttributeType DecimalTypeFor(string attributeName)
    {
        if (attributeName.EndsWith("latitude", StringComparison.Ordinal) || attributeName.EndsWith("longitude", StringComparison.Ordinal))
        {
            return AttributeType.Double;
        }

        if (attributeName.EndsWith("_base", StringComparison.Ordinal)
            || MoneyWords.Any(w => attributeName.Contains(w, StringComparison.Ordinal)))
        {
            return AttributeType.Money;
        }

        return AttributeType.Decimal;
    }

    /// <summary>
    /// The lookup kind for a uniqueidentifier column that has an <c>_entitytype</c> companion.
    /// </summary>
    public static AttributeType LookupTypeFor(string attributeName) => attributeName switch
    {
        "ownerid" => AttributeType.Owner,
        "customerid" or "parentcustomerid" => AttributeType.Customer,
        _ => AttributeType.Lookup,
    };

    /// <summary>The state an option of a <c>statuscode</c> set belongs to (DQT convention).</summary>
    public static int StateOfStatus(int value, string label) => value switch
    {
        1 => 0,
        2 => 1,
        _ => label.Contains("inactive", StringComparison.OrdinalIgnoreCase) ? 1 : 0,
    };
}
