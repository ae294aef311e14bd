namespace ReportingSync.DataverseSimulator.Generation;

internal sealed partial class ValueGenerator
{
    /// <summary>
    /// Share of people with yomi (phonetic) names. Dataverse stores a yomi name only where someone typed one (it serves
    /// Japanese readings), and the rest of the time the attribute is null: it is never a copy of the display name.
    /// </summary>
    private const double YomiShare = 0.05;

    private static readonly ulong YomiSalt = StableHash.Of("yomi");
    private static readonly ulong YomiFirstSalt = StableHash.Of("yomifirstname");
    private static readonly ulong YomiLastSalt = StableHash.Of("yomilastname");

    /// <summary>
    /// One draw per row decides whether the person has yomi names at all, so the given, family and full yomi names are
    /// all present or all null, and the full name is the given and family names, as Dataverse composes it.
    /// </summary>
    private string? Yomi(ColumnGenerator column, int index, int variant, ref CellRandom random)
    {
        var presence = Stream(column.EntitySalt, YomiSalt, index, variant);
        if (!presence.Chance(YomiShare))
        {
            return null;
        }

        return column.Kind switch
        {
            ValueKind.YomiLastName => YomiPart(column.EntitySalt, YomiLastSalt, index, variant, WordLists.YomiLastNames),
            ValueKind.YomiFullName => YomiPart(column.EntitySalt, YomiFirstSalt, index, variant, WordLists.YomiFirstNames)
                + " " + YomiPart(column.EntitySalt, YomiLastSalt, index, variant, WordLists.YomiLastNames),
            _ when column.Salt == YomiFirstSalt => YomiPart(column.EntitySalt, YomiFirstSalt, index, variant, WordLists.YomiFirstNames),
            _ => random.Pick(WordLists.YomiFirstNames),
        };
    }

    private string YomiPart(ulong entity, ulong salt, int index, int variant, string[] words)
    {
        var random = Stream(entity, salt, index, variant);
        random.NextUInt64();
        return random.Pick(words);
    }
}
