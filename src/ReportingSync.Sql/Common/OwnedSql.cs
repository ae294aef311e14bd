using System.Globalization;

namespace ReportingSync.Sql;

/// <summary>
/// Statement text for rows of the owned tables the metadata sync and reconciliation write: one row per statement,
/// writable columns as <c>@&lt;prefix&gt;p&lt;ordinal&gt;</c>, so several statements can share one request (each with its prefix).
/// </summary>
internal sealed class OwnedSql(SqlDialect dialect)
{
    /// <summary>Parameter of an owned table's writable column <paramref name="ordinal"/>.</summary>
    public static string Parameter(int ordinal, string prefix = "") => "@" + prefix + "p" + ordinal.ToString(CultureInfo.InvariantCulture);

    /// <summary>The parameters of an IN list: <c>@s0</c>, <c>@s1</c>, ...</summary>
    public static string ListParameter(int ordinal) => "@s" + ordinal.ToString(CultureInfo.InvariantCulture);

    public string Insert(string qualified, OwnedTable table, string prefix = "") =>
        $"INSERT INTO {qualified} ({Columns(table)}) VALUES ({string.Join(", ", table.Writable.Select((_, i) => Parameter(i, prefix)))});";

    /// <summary>One row's values replaced, found by its match key (a renamed label is updated, not added).</summary>
    public string Update(string qualified, OwnedTable table, string prefix = "") =>
        $"UPDATE {qualified} SET {string.Join(", ", Writable(table).Where(c => !table.MatchKey.Contains(c.Name)).Select(c => $"{Q(c.Name)} = {Parameter(c.Ordinal, prefix)}"))} " +
        $"WHERE {KeyCondition(table, prefix)};";

    public string Delete(string qualified, OwnedTable table, string prefix = "") => $"DELETE FROM {qualified} WHERE {KeyCondition(table, prefix)};";

    /// <summary>The rows a metadata sync owns: those whose scope column holds one of <c>@s0</c>, <c>@s1</c>, ...</summary>
    public string SelectScope(string qualified, OwnedTable table, int scopeValues) =>
        $"SELECT {Columns(table)} FROM {qualified} WHERE {Q(table.ScopeColumn!)} IN ({string.Join(", ", Enumerable.Range(0, scopeValues).Select(ListParameter))});";

    /// <summary>A row of a table with an identity: writable columns as <c>@p0..</c>; returns the new id.</summary>
    public string InsertReturningId(string qualified, OwnedTable table) =>
        dialect.InsertReturning(qualified, Columns(table), string.Join(", ", table.Writable.Select((_, i) => Parameter(i))), Q("Id"));

    /// <summary>Replaces a row found by its identity <c>@id</c>.</summary>
    public string UpdateById(string qualified, OwnedTable table) =>
        $"UPDATE {qualified} SET {string.Join(", ", Writable(table).Select(c => $"{Q(c.Name)} = {Parameter(c.Ordinal)}"))} WHERE {Q("Id")} = @id;";

    /// <summary>All columns, newest first, optionally only rows whose <paramref name="column"/> is <c>@key</c>, at most <c>@limit</c>.</summary>
    public string SelectNewest(string qualified, OwnedTable table, string? column, bool limited) =>
        limited ? dialect.SelectFirst(SelectBody(qualified, table, column), "@limit") : $"SELECT {SelectBody(qualified, table, column)};";

    private string SelectBody(string qualified, OwnedTable table, string? column) =>
        $"{string.Join(", ", table.Columns.Select(c => Q(c.Name)))} FROM {qualified}" +
        (column is null ? "" : $" WHERE {Q(column)} = @key") + $" ORDER BY {Q("Id")} DESC";

    private string Columns(OwnedTable table) => string.Join(", ", table.Writable.Select(c => Q(c.Name)));

    private string KeyCondition(OwnedTable table, string prefix) =>
        string.Join(" AND ", Writable(table).Where(c => table.MatchKey.Contains(c.Name)).Select(c => $"{Q(c.Name)} = {Parameter(c.Ordinal, prefix)}"));

    private static IEnumerable<(string Name, int Ordinal)> Writable(OwnedTable table) => table.Writable.Select((c, i) => (c.Name, i));

    private string Q(string trustedName) => dialect.Quote(trustedName);
}
