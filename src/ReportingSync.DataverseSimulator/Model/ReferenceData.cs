using System.Text.Json;

namespace ReportingSync.DataverseSimulator.Model;

/// <summary>
/// The embedded DQT reference files: the 55 DES tables with their SQL columns, and the option sets.
/// Parsed once per process; the contents are immutable.
/// </summary>
internal sealed class ReferenceData
{
    private static readonly Lazy<ReferenceData> Instance = new(Load);

    private ReferenceData(
        IReadOnlyList<KeyValuePair<string, IReadOnlyList<ReferenceColumn>>> tables,
        IReadOnlyDictionary<string, IReadOnlyList<ReferenceOption>> optionSets)
    {
        Tables = tables;
        OptionSets = optionSets;
    }

    public static ReferenceData Shared => Instance.Value;

    /// <summary>Tables in file order; columns in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, IReadOnlyList<ReferenceColumn>>> Tables { get; }

    /// <summary>Option sets by their original name (SchemaName casing), options in display order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ReferenceOption>> OptionSets { get; }

    private static ReferenceData Load()
    {
        using var tablesDoc = JsonDocument.Parse(ReadResource("dqt-reporting-tables.json"));
        var tables = new List<KeyValuePair<string, IReadOnlyList<ReferenceColumn>>>();
        foreach (var table in tablesDoc.RootElement.GetProperty("tables").EnumerateObject())
        {
            var columns = table.Value.EnumerateArray()
                .Select(c => new ReferenceColumn(c[0].GetString()!, SqlColumnType.Parse(c[1].GetString()!)))
                .ToList();
            tables.Add(new(table.Name, columns));
        }

        using var setsDoc = JsonDocument.Parse(ReadResource("dqt-option-sets.json"));
        var sets = new Dictionary<string, IReadOnlyList<ReferenceOption>>(StringComparer.Ordinal);
        foreach (var set in setsDoc.RootElement.GetProperty("optionSets").EnumerateObject())
        {
            sets[set.Name] = set.Value.EnumerateArray()
                .Select(o => new ReferenceOption(
                    o.GetProperty("value").GetInt32(), o.GetProperty("label").GetString()!, o.GetProperty("order").GetInt32()))
                .OrderBy(o => o.Order)
                .ToList();
        }

        return new ReferenceData(tables, sets);
    }

    private static byte[] ReadResource(string fileName)
    {
        var assembly = typeof(ReferenceData).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith(fileName, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
