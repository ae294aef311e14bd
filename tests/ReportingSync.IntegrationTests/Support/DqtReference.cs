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
