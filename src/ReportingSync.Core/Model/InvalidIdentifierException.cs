namespace ReportingSync.Model;

/// <summary>A name from metadata or configuration that cannot be used as a SQL identifier.</summary>
public sealed class InvalidIdentifierException(string what, string? name)
    : Exception($"Invalid {what} name '{Printable(name)}': names must match ^[A-Za-z_][A-Za-z0-9_]{{0,127}}$.")
{
    public string What { get; } = what;
    public string? Name { get; } = name;

    private static string Printable(string? name)
    {
        if (name is null)
        {
            return "(null)";
        }

        // Keep control characters visible but harmless in logs.
        var shown = name.Length > 140 ? name[..140] + "…" : name;
        return string.Concat(shown.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
