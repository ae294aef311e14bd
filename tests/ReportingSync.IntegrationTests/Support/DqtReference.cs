using System.Reflection;
using System.Text.Json;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// The two reference files as plain data, for expected values: <c>dqt-reporting-tables.json</c> (55 tables, 3507
/// columns with the SQL Server types the Data Export Service created) and <c>dqt-option-sets.json</c> (their option
/// sets), read from the copies embedded in the simulator assembly. Metadata built from them is never computed here:
/// tests take it from the simulator through the Dataverse client (<see cref="DqtModel"/>), so what is compared is
/// the production path against the files themselves.
/// </summary>
public static class DqtReference
{
    private static readonly Lazy<IReadOnlyList<(string Table, IReadOnlyList<(string Name, string Type)> Columns)>> LazyTables = new(ReadTables);
    private static readonly Lazy<IReadOnlyDictionary<string, IReadOnlyList<(int Value, string Label)>>> LazyOptionSets = new(ReadOptionSets);

    /// <summary>Every table with its columns (name, SQL Server type as the JSON spells it), in file order.</summary>
    public static IReadOnlyList<(string Table, IReadOnlyList<(string Name, string Type)> Columns)> Tables => LazyTables.Value;

    /// <summary>Option sets by name (local ones are &lt;Entity&gt;_&lt;Attribute&gt;, global ones bare), options in display order.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<(int Value, string Label)>> OptionSets => LazyOptionSets.Value;

    /// <summary>
    /// The choice options the files imply, as the metadata tables must hold them: for each int column (statecode and
    /// statuscode aside) of <paramref name="tables"/> (default all), a set named <c>&lt;Entity&gt;_&lt;column&gt;</c> (any case)
    /// gives OptionSetMetadata rows; otherwise a set named like the column gives GlobalOptionSetMetadata rows.
    /// </summary>
    public static (HashSet<(string Entity, string Column, int Value, string Label)> Local, HashSet<(string Column, int Value, string Label, string GlobalName)> Global)
        ExpectedOptions(IReadOnlyCollection<string>? tables = null)
    {
        var local = new HashSet<(string, string, int, string)>();
        var global = new HashSet<(string, int, string, string)>();
        foreach (var (table, columns) in Tables.Where(t => tables is null || tables.Contains(t.Table)))
        {
            foreach (var (column, _) in columns.Where(c => c.Type == "int" && c.Name is not "statecode" and not "statuscode"))
            {
                var set = OptionSets.FirstOrDefault(s => string.Equals(s.Key, table + "_" + column, StringComparison.OrdinalIgnoreCase));
                var globalSet = OptionSets.FirstOrDefault(s => s.Key.ToLowerInvariant() == column);
                foreach (var (value, label) in set.Value ?? [])
                {
                    local.Add((table, column, value, label));
                }

                foreach (var (value, label) in set.Value is null ? globalSet.Value ?? [] : [])
                {
                    global.Add((column, value, label, globalSet.Key));
                }
            }
        }

        return (local, global);
    }

    /// <summary>
    /// (State, Status, Label) of a table's status options: its <c>&lt;Entity&gt;_StatusCode</c> set (any case), else (also for
    /// a set the file lists without options, Incident_StatusCode) Active (1) and Inactive (2). The file does not say which state a status belongs to, so that follows the simulator's stated
    /// rule: 1 → 0, 2 → 1, any other → 1 when its label says "inactive", else 0.
    /// </summary>
    public static IEnumerable<(int State, int Status, string Label)> ExpectedStatuses(string table)
    {
        var found = OptionSets.FirstOrDefault(s => string.Equals(s.Key, table + "_StatusCode", StringComparison.OrdinalIgnoreCase)).Value;
        IReadOnlyList<(int Value, string Label)> set = found is { Count: > 0 } ? found : [(1, "Active"), (2, "Inactive")];
        return set.Select(o => (o.Value switch
        {
            1 => 0,
            2 => 1,
            _ => o.Label.Contains("inactive", StringComparison.OrdinalIgnoreCase) ? 1 : 0,
        }, o.Value, o.Label));
    }

    private static IReadOnlyList<(string, IReadOnlyList<(string, string)>)> ReadTables()
    {
        using var document = JsonDocument.Parse(Resource("dqt-reporting-tables.json"));
        return document.RootElement.GetProperty("tables").EnumerateObject()
            .Select(t => (t.Name, (IReadOnlyList<(string, string)>)t.Value.EnumerateArray().Select(c => (c[0].GetString()!, c[1].GetString()!)).ToList()))
            .ToList();
    }

    private static IReadOnlyDictionary<string, IReadOnlyList<(int, string)>> ReadOptionSets()
    {
        using var document = JsonDocument.Parse(Resource("dqt-option-sets.json"));
        return document.RootElement.GetProperty("optionSets").EnumerateObject().ToDictionary(
            s => s.Name,
            s => (IReadOnlyList<(int, string)>)s.Value.EnumerateArray()
                .OrderBy(o => o.GetProperty("order").GetInt32())
                .Select(o => (o.GetProperty("value").GetInt32(), o.GetProperty("label").GetString()!))
                .ToList(),
            StringComparer.Ordinal);
    }

    private static Stream Resource(string fileName)
    {
        var assembly = Assembly.Load("ReportingSync.DataverseSimulator");
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(fileName, StringComparison.Ordinal));
        return assembly.GetManifestResourceStream(name)!;
    }
}
