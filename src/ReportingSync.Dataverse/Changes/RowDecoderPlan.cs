using System.Runtime.CompilerServices;
using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>
/// Everything precomputed from a <see cref="TableLayout"/> to read its rows: which JSON property feeds which columns
/// (looked up by <c>ReadOnlySpan&lt;char&gt;</c>, so no string per property), the <c>$select</c> list and which
/// annotations to ask for. Built once per layout and cached for the layout's lifetime.
/// </summary>
internal sealed class RowDecoderPlan
{
    private static readonly ConditionalWeakTable<TableLayout, RowDecoderPlan> Cache = [];

    private readonly Dictionary<string, ColumnBinding[]>.AlternateLookup<ReadOnlySpan<char>> _bindings;

    private RowDecoderPlan(TableLayout layout)
    {
        Layout = layout;
        var bindings = new Dictionary<string, List<ColumnBinding>>(StringComparer.Ordinal);
        var select = new List<string>();
        var selected = new HashSet<string>(StringComparer.Ordinal);
        for (var ordinal = 0; ordinal < layout.Columns.Count; ordinal++)
        {
            var column = layout.Columns[ordinal];
            if (column.Role == ColumnRole.LookupYomiName)
            {
                // No Web API property or annotation carries it: the column stays NULL.
                continue;
            }

            var attribute = column.AttributeName;
            var (property, source) = column.Role switch
            {
                ColumnRole.PrimaryId or ColumnRole.Value or ColumnRole.Version => (attribute, attribute),
                ColumnRole.LookupId => (ODataNames.LookupValue(attribute), ODataNames.LookupValue(attribute)),
                ColumnRole.LookupEntityType => (
                    ODataNames.Annotation(ODataNames.LookupValue(attribute), ODataNames.LookupLogicalName), ODataNames.LookupValue(attribute)),
                ColumnRole.LookupName => (
                    ODataNames.Annotation(ODataNames.LookupValue(attribute), ODataNames.FormattedValue), ODataNames.LookupValue(attribute)),
                _ => throw new InvalidOperationException($"Column role {column.Role} has no Web API source."),
            };

            HasLookupAnnotations |= column.Role == ColumnRole.LookupEntityType;
            HasFormattedValues |= column.Role == ColumnRole.LookupName;
            if (selected.Add(source))
            {
                select.Add(source);
            }

            if (!bindings.TryGetValue(property, out var list))
            {
                bindings.Add(property, list = []);
            }

            list.Add(new ColumnBinding(ordinal, column));
            MaxPropertyLength = Math.Max(MaxPropertyLength, property.Length);
        }

        _bindings = bindings.ToDictionary(p => p.Key, p => p.Value.ToArray(), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
        Select = string.Join(',', select);
    }

    public TableLayout Layout { get; }

    /// <summary>The <c>$select</c> value: primary id, plain attributes, and <c>_x_value</c> for lookups.</summary>
    public string Select { get; }

    /// <summary>The layout has <c>_entitytype</c>-style columns, fed by the lookuplogicalname annotation.</summary>
    public bool HasLookupAnnotations { get; }

    /// <summary>The layout has lookup name columns, fed by the FormattedValue annotation (which bloats answers).</summary>
    public bool HasFormattedValues { get; }

    /// <summary>No property we bind is longer; longer names are skipped without a look-up.</summary>
    public int MaxPropertyLength { get; }

    public int ColumnCount => Layout.Columns.Count;

    /// <summary>
    /// Most cells (rows x columns) one page may hold. Dataverse sends every selected column, nulls and annotations
    /// included, so a page's JSON, and the rows decoded from it, grow with its width: 5000 rows of the 317-column DQT
    /// contact are ~64 MB of JSON and as much again decoded, and a seed holds one page downloading and decoding while
    /// the previous one commits. 400,000 cells keeps narrow tables (up to 80 columns) at 5000 rows and a 317-column
    /// page near 16 MB.
    /// </summary>
    internal const int MaxCellsPerPage = 400_000;

    /// <summary>Fewest rows a page is lowered to, however wide the table.</summary>
    internal const int MinRowsPerPage = 500;

    /// <summary>
    /// The page size to ask for: the configured one, lowered for wide tables to <see cref="MaxCellsPerPage"/> (never below
    /// <see cref="MinRowsPerPage"/> or above the configured size). Fixed per layout, so every page of a read asks the same.
    /// </summary>
    public int PageSizeFor(int configured) =>
        Math.Min(configured, Math.Max(MinRowsPerPage, MaxCellsPerPage / Math.Max(1, ColumnCount)));

    public static RowDecoderPlan For(TableLayout layout) => Cache.GetValue(layout, static l => new RowDecoderPlan(l));

    public bool TryGetBindings(ReadOnlySpan<char> property, out ColumnBinding[] bindings) =>
        _bindings.TryGetValue(property, out bindings!);

    /// <summary>
    /// The <c>Prefer</c> header: the page size (<see cref="PageSizeFor"/>; Dataverse wants the same maxpagesize on every page), track-changes
    /// for change reads, and only the annotations the layout needs.
    /// </summary>
    public string Prefer(int pageSize, bool trackChanges)
    {
        var prefer = new StringBuilder();
        if (trackChanges)
        {
            prefer.Append("odata.track-changes,");
        }

        prefer.Append("odata.maxpagesize=").Append(PageSizeFor(pageSize));
        if (HasLookupAnnotations || HasFormattedValues)
        {
            prefer.Append(",odata.include-annotations=\"");
            if (HasLookupAnnotations)
            {
                prefer.Append(ODataNames.LookupLogicalName);
            }

            if (HasFormattedValues)
            {
                prefer.Append(HasLookupAnnotations ? "," : "").Append(ODataNames.FormattedValue);
            }

            prefer.Append('"');
        }

        return prefer.ToString();
    }
}
