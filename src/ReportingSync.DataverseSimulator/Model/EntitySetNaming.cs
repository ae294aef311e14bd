namespace ReportingSync.DataverseSimulator.Model;

/// <summary>
/// EntitySetName from a logical name, the way Dataverse pluralises: consonant + y → ies; s, x, ch, sh → +es;
/// otherwise +s. Names already ending in "leads" (the N:N intersect tables) take "collection" like the real service.
/// </summary>
internal static class EntitySetNaming
{
    public static string Pluralize(string logicalName)
    {
        if (logicalName is "accountleads" or "contactleads")
        {
            return logicalName + "collection";
        }

        if (logicalName.Length > 1 && logicalName.EndsWith('y') && !IsVowel(logicalName[^2]))
        {
            return logicalName[..^1] + "ies";
        }

        if (logicalName.EndsWith('s') || logicalName.EndsWith('x')
            || logicalName.EndsWith("ch", StringComparison.Ordinal) || logicalName.EndsWith("sh", StringComparison.Ordinal))
        {
            return logicalName + "es";
        }

        return logicalName + "s";
    }

    private static bool IsVowel(char c) => c is 'a' or 'e' or 'i' or 'o' or 'u';
}
