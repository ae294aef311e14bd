namespace ReportingSync.Model;

/// <summary>One column of a replicated table, and how its value is read from the source.</summary>
/// <param name="Name">Column name in the target (validated identifier).</param>
/// <param name="Type">Storage type; see <see cref="ColumnStorageType"/> for the CLR type of values.</param>
/// <param name="Role">Which part of the Web API row feeds it.</param>
/// <param name="AttributeName">The source attribute: for lookup-derived columns, the lookup attribute itself.</param>
public sealed record TableColumn(string Name, ColumnStorageType Type, ColumnRole Role, string AttributeName)
{
    /// <summary>Maximum length for strings; null means unbounded (nvarchar(max) / text).</summary>
    public int? MaxLength { get; init; }

    /// <summary>Digits after the decimal point for decimals.</summary>
    public int? Precision { get; init; }

    /// <summary>The Dataverse type of the source attribute (for type conversion in the source and DES type names).</summary>
    public AttributeKind SourceKind { get; init; }

    public DateTimeBehavior DateTimeBehavior { get; init; } = DateTimeBehavior.UserLocal;

    /// <summary>
    /// The column holds a keyed SHA-256 (64 hex characters) of the source value instead of the value: the source
    /// reads it as text whatever its type, the engine hashes it before anything is written.
    /// </summary>
    public bool Masked { get; init; }
}
