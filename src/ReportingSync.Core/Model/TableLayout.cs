using System.Security.Cryptography;
using System.Text;

namespace ReportingSync.Model;

/// <summary>
/// The one description of a replicated table that both sides share: the source decodes Web API rows into values in
/// this column order, the target creates and writes the table from it. Built from metadata by <see cref="Create"/>.
/// </summary>
public sealed class TableLayout
{
    private readonly Dictionary<string, int> _ordinals;

    private TableLayout(EntitySchema schema, IReadOnlyList<TableColumn> columns, LayoutOptions options)
    {
        EntityName = schema.LogicalName;
        EntitySetName = schema.EntitySetName;
        PrimaryIdAttribute = schema.PrimaryIdAttribute;
        Columns = columns;
        Options = options;
        _ordinals = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < columns.Count; i++)
        {
            _ordinals.Add(columns[i].Name, i);
        }

        VersionOrdinal = _ordinals[SyncColumns.Version];
        ModifiedOnOrdinal = _ordinals.TryGetValue("modifiedon", out var m) && columns[m].Type == ColumnStorageType.DateTime ? m : -1;
        Fingerprint = ComputeFingerprint(columns, options);
    }

    public string EntityName { get; }

    /// <summary>The live table's name (the entity's logical name).</summary>
    public string TableName => EntityName;

    /// <summary>The table a re-seed fills before it is swapped with the live table.</summary>
    public string ShadowTableName => EntityName + ShadowSuffix;

    /// <summary>Every version of every row, for as-of queries (<see cref="LayoutOptions.History"/>).</summary>
    public string HistoryTableName => TableName + HistorySuffix;

    public const string ShadowSuffix = "__reseed";

    public const string HistorySuffix = "_history";

    public string EntitySetName { get; }
    public string PrimaryIdAttribute { get; }
    public IReadOnlyList<TableColumn> Columns { get; }
    public LayoutOptions Options { get; }

    /// <summary>Ordinal of <c>Id</c>; always the first column.</summary>
    public int IdOrdinal => 0;

    public int VersionOrdinal { get; }

    /// <summary>Ordinal of <c>modifiedon</c> (used for lag), or -1 when the table has none.</summary>
    public int ModifiedOnOrdinal { get; }

    /// <summary>Stable hash of column names, types and options; changes whenever the table shape would.</summary>
    public string Fingerprint { get; }

    public int IndexOf(string columnName) => _ordinals.TryGetValue(columnName, out var i) ? i : -1;

    public TableColumn? Find(string columnName) => _ordinals.TryGetValue(columnName, out var i) ? Columns[i] : null;

    public static TableLayout Create(EntitySchema schema, ColumnSelection? selection = null, LayoutOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        selection ??= ColumnSelection.All;
        options ??= LayoutOptions.Default;
        var entity = Identifier.Validate(schema.LogicalName, "entity");
        Identifier.Validate(schema.EntitySetName, "entity set");
        Identifier.Validate(schema.PrimaryIdAttribute, "primary id attribute");

        if (schema.FindAttribute(SyncColumns.Version) is null)
        {
            throw new InvalidSchemaException(entity, "it has no 'versionnumber' attribute, which replication needs to order changes.");
        }

        var columns = new List<TableColumn>(schema.Attributes.Count + 8)
        {
            new(SyncColumns.Id, ColumnStorageType.Guid, ColumnRole.PrimaryId, schema.PrimaryIdAttribute)
            {
                SourceKind = AttributeKind.Uniqueidentifier,
            },
        };

        foreach (var attribute in schema.Attributes)
        {
            Identifier.Validate(attribute.LogicalName, $"attribute ({entity})");
            if (attribute.LogicalName == schema.PrimaryIdAttribute)
            {
                continue;
            }

            var isVersion = attribute.LogicalName == SyncColumns.Version;
            if (!isVersion && !selection.Allows(attribute.LogicalName))
            {
                continue;
            }

            if (attribute.AttributeOf is not null)
            {
                AddDerived(schema, attribute, selection, columns);
                continue;
            }

            if (!isVersion && selection.Masks(attribute.LogicalName))
            {
                columns.Add(MaskedColumn(entity, attribute));
                continue;
            }

            AddColumns(attribute, isVersion, options, columns);
        }

        EnsureUnique(entity, columns);
        return new TableLayout(schema, columns, options);
    }

    /// <summary>
    /// Decimal places Dataverse stores money with, whatever the attribute's <c>Precision</c> (which, depending on the
    /// <see cref="MoneyPrecisionSource"/>, may not even be the precision of its values): 92.3865 in a 2-place attribute is
    /// a real value. More than 4 only after a Microsoft-run migration, which raises the attribute's Precision with it.
    /// </summary>
    public const int StoredMoneyScale = 4;

    /// <summary>
    /// Standard keeps every money value exactly (at least <see cref="StoredMoneyScale"/> places). Des keeps the Data
    /// Export Service's <c>decimal(38, Precision)</c>, which rounds values with more places than Precision, as DES did.
    /// </summary>
    private static int MoneyScale(AttributeSchema attribute, LayoutOptions options) =>
        options.Compatibility == SchemaCompatibility.Des
            ? attribute.Precision ?? 2
            : Math.Max(attribute.Precision ?? 2, StoredMoneyScale);

    /// <summary>Width of a masked column: a SHA-256 in lowercase hex.</summary>
    public const int MaskedLength = 64;

    private static TableColumn MaskedColumn(string entity, AttributeSchema attribute)
    {
        if (attribute.IsLookup || attribute.Kind is AttributeKind.Picklist or AttributeKind.State or AttributeKind.Status
                or AttributeKind.MultiSelectPicklist or AttributeKind.Boolean or AttributeKind.EntityName)
        {
            // Lookups and choices are keys and codes, not personal values; a hash would break joins and labels.
            throw new InvalidSchemaException(entity, $"attribute '{attribute.LogicalName}' of type {attribute.Kind} cannot be masked (only text, numbers, dates and GUIDs can).");
        }

        return new TableColumn(attribute.LogicalName, ColumnStorageType.String, ColumnRole.Value, attribute.LogicalName)
        {
            MaxLength = MaskedLength,
            Masked = true,
            SourceKind = attribute.Kind,
            DateTimeBehavior = attribute.DateTimeBehavior,
        };
    }

    private static void AddColumns(AttributeSchema attribute, bool isVersion, LayoutOptions options, List<TableColumn> columns)
    {
        var name = attribute.LogicalName;
        if (isVersion)
        {
            columns.Add(new(name, ColumnStorageType.Int64, ColumnRole.Version, name) { SourceKind = attribute.Kind });
            return;
        }

        if (attribute.IsLookup)
        {
            columns.Add(new(name, ColumnStorageType.Guid, ColumnRole.LookupId, name) { SourceKind = attribute.Kind });
            columns.Add(new(name + SyncColumns.EntityTypeSuffix, ColumnStorageType.String, ColumnRole.LookupEntityType, name)
            {
                MaxLength = 128,
                SourceKind = AttributeKind.EntityName,
            });
            return;
        }

        var column = attribute.Kind switch
        {
            AttributeKind.String => new TableColumn(name, ColumnStorageType.String, ColumnRole.Value, name)
            {
                MaxLength = attribute.MaxLength is > 0 and <= 4000 ? attribute.MaxLength : null,
            },
            AttributeKind.Memo or AttributeKind.MultiSelectPicklist =>
                new TableColumn(name, ColumnStorageType.String, ColumnRole.Value, name),
            AttributeKind.EntityName => new TableColumn(name, ColumnStorageType.String, ColumnRole.Value, name) { MaxLength = 4000 },
            AttributeKind.Integer or AttributeKind.Picklist or AttributeKind.State or AttributeKind.Status =>
                new TableColumn(name, ColumnStorageType.Int32, ColumnRole.Value, name),
            AttributeKind.BigInt => new TableColumn(name, ColumnStorageType.Int64, ColumnRole.Value, name),
            AttributeKind.Decimal => new TableColumn(name, ColumnStorageType.Decimal, ColumnRole.Value, name) { Precision = attribute.Precision ?? 2 },
            AttributeKind.Money => new TableColumn(name, ColumnStorageType.Decimal, ColumnRole.Value, name) { Precision = MoneyScale(attribute, options) },
            AttributeKind.Double => options.Compatibility == SchemaCompatibility.Des
                ? new TableColumn(name, ColumnStorageType.Decimal, ColumnRole.Value, name) { Precision = attribute.Precision ?? 5 }
                : new TableColumn(name, ColumnStorageType.Double, ColumnRole.Value, name) { Precision = attribute.Precision },
            AttributeKind.Boolean => new TableColumn(name, ColumnStorageType.Boolean, ColumnRole.Value, name),
            AttributeKind.DateTime =>
                new TableColumn(
                    name,
                    attribute.DateTimeBehavior == DateTimeBehavior.DateOnly && options.Compatibility != SchemaCompatibility.Des
                        ? ColumnStorageType.Date
                        : ColumnStorageType.DateTime,
                    ColumnRole.Value,
                    name),
            AttributeKind.Uniqueidentifier => new TableColumn(name, ColumnStorageType.Guid, ColumnRole.Value, name),
            _ => throw new InvalidSchemaException(name, $"attribute type {attribute.Kind} has no column mapping."),
        };

        columns.Add(column with { SourceKind = attribute.Kind, DateTimeBehavior = attribute.DateTimeBehavior });
    }

    /// <summary>
    /// Derived attributes of a lookup (<c>createdbyname</c>, <c>owneridtype</c>) are not selectable in the Web API;
    /// their values come from the lookup's annotations. Other derived attributes have no Web API value and are skipped.
    /// </summary>
    private static void AddDerived(
        EntitySchema schema, AttributeSchema attribute, ColumnSelection selection, List<TableColumn> columns)
    {
        var parent = schema.FindAttribute(attribute.AttributeOf!);
        if (parent is null || !parent.IsLookup || !selection.Allows(parent.LogicalName))
        {
            return;
        }

        var name = attribute.LogicalName;
        if (attribute.Kind == AttributeKind.EntityName)
        {
            columns.Add(new(name, ColumnStorageType.String, ColumnRole.LookupEntityType, parent.LogicalName)
            {
                MaxLength = 4000,
                SourceKind = AttributeKind.EntityName,
            });
        }
        else if (attribute.Kind is AttributeKind.String or AttributeKind.Memo)
        {
            // Dataverse derives <lookup>name and <lookup>yominame from every lookup; only the name has a Web API value.
            var role = name == parent.LogicalName + YomiNameSuffix ? ColumnRole.LookupYomiName : ColumnRole.LookupName;
            columns.Add(new(name, ColumnStorageType.String, role, parent.LogicalName)
            {
                MaxLength = attribute.MaxLength is > 0 and <= 4000 ? attribute.MaxLength : null,
                SourceKind = AttributeKind.String,
            });
        }
    }

    private const string YomiNameSuffix = "yominame";

    private static void EnsureUnique(string entity, List<TableColumn> columns)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            SyncColumns.SinkCreatedOn,
            SyncColumns.SinkModifiedOn,
            SyncColumns.IsDeleted,
        };
        foreach (var column in columns)
        {
            Identifier.Validate(column.Name, $"column ({entity})");
            if (!seen.Add(column.Name))
            {
                throw new InvalidSchemaException(entity, $"column name '{column.Name}' occurs twice or collides with a sync column.");
            }
        }
    }

    private static string ComputeFingerprint(IReadOnlyList<TableColumn> columns, LayoutOptions options)
    {
        var text = new StringBuilder();
        text.Append(options.Compatibility).Append('|').Append(options.SoftDeletes).Append('\n');
        foreach (var c in columns)
        {
            text.Append(c.Name).Append(':').Append(c.Type).Append(':').Append(c.MaxLength).Append(':').Append(c.Precision)
                .Append(':').Append(c.Role).Append(':').Append(c.AttributeName).Append(c.Masked ? ":masked" : "").Append('\n');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 16));
    }
}
