using System.Text;
using System.Text.Json;

namespace ReportingSync.Dataverse;

/// <summary>
/// The property names of one page, learned in the order its rows bring them. Dataverse writes every row's properties
/// in the same order (annotations come and go with null values), so each name is first compared, as UTF-8 bytes, with
/// the two that followed the previous property most recently; only a miss of both pays for the UTF-16 copy and the
/// hash look-up in the plan. Per page, single-threaded, so a retried or concurrent decode never shares one.
/// </summary>
internal sealed class PropertySequence(RowDecoderPlan plan)
{
    /// <summary>Distinct names remembered per page; a body with more (hostile or broken) is decoded without prediction.</summary>
    private const int MaxEntries = 4_096;

    private const int NameBufferLength = 256;

    private readonly List<PropertyEntry> _entries = [];
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _indexByName =
        new Dictionary<string, int>(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();

    private int _first = -1;

    /// <summary>
    /// What the property under the reader (a <see cref="JsonTokenType.PropertyName"/>) is, given the entry of the previous
    /// property in the same object (null at the start of an object).
    /// </summary>
    public PropertyEntry Identify(ref Utf8JsonReader reader, PropertyEntry? previous)
    {
        var predicted = previous is null ? _first : previous.Next;
        if (predicted >= 0 && reader.ValueTextEquals(_entries[predicted].Utf8Name))
        {
            return _entries[predicted];
        }

        // A property whose value is null comes without its annotations, so a name has two usual successors (its
        // formatted value, or the next attribute): the other one is tried before the look-up.
        var alternate = previous?.Alternate ?? -1;
        if (alternate >= 0 && reader.ValueTextEquals(_entries[alternate].Utf8Name))
        {
            previous!.Alternate = predicted;
            previous.Next = alternate;
            return _entries[alternate];
        }

        Span<char> buffer = stackalloc char[NameBufferLength];
        var length = JsonText.CopyPropertyName(ref reader, buffer);
        if (length < 0)
        {
            // Longer than any name we bind or recognise.
            return PropertyEntry.Unknown;
        }

        var name = buffer[..length];
        if (!_indexByName.TryGetValue(name, out var index))
        {
            if (_entries.Count >= MaxEntries)
            {
                return Classify(name, learnedIndex: -1);
            }

            index = _entries.Count;
            _entries.Add(Classify(name, index));
            _indexByName[name.ToString()] = index;
        }

        if (previous is null)
        {
            _first = index;
        }
        else if (previous.Index >= 0)
        {
            previous.Alternate = previous.Next;
            previous.Next = index;
        }

        return _entries[index];
    }

    private PropertyEntry Classify(ReadOnlySpan<char> name, int learnedIndex)
    {
        ColumnBinding[]? bindings = null;
        if (name.Length > 0 && name.Length <= plan.MaxPropertyLength && plan.TryGetBindings(name, out var found))
        {
            bindings = found;
        }

        return new PropertyEntry(
            learnedIndex,
            Encoding.UTF8.GetBytes(name.ToString()),
            name.SequenceEqual(ODataNames.Context),
            name.SequenceEqual(ODataNames.DeletedId),
            bindings);
    }
}

/// <summary>One property name of a page: what it means to the row reader, and which name followed it last time.</summary>
internal sealed class PropertyEntry(int index, byte[] utf8Name, bool isContext, bool isDeletedId, ColumnBinding[]? bindings)
{
    /// <summary>A name too long to be one we read; never learned.</summary>
    public static readonly PropertyEntry Unknown = new(-1, [], false, false, null);

    /// <summary>Position in the page's sequence, or -1 when not learned.</summary>
    public int Index { get; } = index;

    public byte[] Utf8Name { get; } = utf8Name;

    /// <summary><c>@odata.context</c>: in a delta, marks a deleted-entity entry.</summary>
    public bool IsContext { get; } = isContext;

    /// <summary><c>id</c>: a deleted entity's id.</summary>
    public bool IsDeletedId { get; } = isDeletedId;

    /// <summary>The columns this property feeds; null when the row reader skips it.</summary>
    public ColumnBinding[]? Bindings { get; } = bindings;

    /// <summary>Index of the entry that followed this one last time, or -1.</summary>
    public int Next { get; set; } = -1;

    /// <summary>Index of the entry that followed this one before <see cref="Next"/> did, or -1.</summary>
    public int Alternate { get; set; } = -1;
}
