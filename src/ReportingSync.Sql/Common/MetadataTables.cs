using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// The analyst-facing metadata tables, with the Data Export Service's table and column names so reports built on DES
/// keep working: labels of choices (local and global option sets, state and status), lookup targets, and attribute
/// types. They live in the data schema next to the entity tables. Natural keys are primary keys (one row per option
/// and language), so a changed label is an UPDATE, never a second row; AttributeMetadata keeps a surrogate Id as DES
/// had one, with its natural key unique.
/// </summary>
internal static class MetadataTables
{
    public const string OptionSetMetadata = "OptionSetMetadata";
    public const string GlobalOptionSetMetadata = "GlobalOptionSetMetadata";
    public const string StateMetadata = "StateMetadata";
    public const string StatusMetadata = "StatusMetadata";
    public const string TargetMetadata = "TargetMetadata";
    public const string AttributeMetadata = "AttributeMetadata";

    public const string EntityName = StateTables.EntityName;
    public const string OptionSetName = "OptionSetName";
    public const string GlobalOptionSetName = "GlobalOptionSetName";
    public const string Option = "Option";
    public const string State = "State";
    public const string Status = "Status";
    public const string LanguageCode = "LocalizedLabelLanguageCode";
    public const string Label = "LocalizedLabel";
    private const string IsUserLabel = "IsUserLocalizedLabel";

    public static OwnedTable OptionSets { get; } = new(
        OptionSetMetadata,
        false,
        [
            Name(EntityName), Name(OptionSetName), Int(Option), new(IsUserLabel, ColumnStorageType.Boolean, false), Int(LanguageCode),
            new(Label, ColumnStorageType.String, true),
        ],
        [EntityName, OptionSetName, Option, LanguageCode])
    {
        ScopeColumn = EntityName,
    };

    /// <summary>DES quirk kept: OptionSetName is the attribute that uses the global set; GlobalOptionSetName names the set.</summary>
    public static OwnedTable GlobalOptionSets { get; } = new(
        GlobalOptionSetMetadata,
        false,
        [
            Name(OptionSetName), Int(Option), new(IsUserLabel, ColumnStorageType.Boolean, false), Int(LanguageCode),
            new(Label, ColumnStorageType.String, true), Name(GlobalOptionSetName),
        ],
        [OptionSetName, GlobalOptionSetName, Option, LanguageCode])
    {
        ScopeColumn = OptionSetName,
    };

    public static OwnedTable States { get; } = new(
        StateMetadata,
        false,
        [Name(EntityName), Int(State), new(IsUserLabel, ColumnStorageType.Boolean, false), Int(LanguageCode), new(Label, ColumnStorageType.String, true)],
        [EntityName, State, LanguageCode])
    {
        ScopeColumn = EntityName,
    };

    public static OwnedTable Statuses { get; } = new(
        StatusMetadata,
        false,
        [
            Name(EntityName), Int(State), Int(Status), new(IsUserLabel, ColumnStorageType.Boolean, false), Int(LanguageCode),
            new(Label, ColumnStorageType.String, true),
        ],
        [EntityName, Status, LanguageCode])
    {
        ScopeColumn = EntityName,
    };

    public static OwnedTable Targets { get; } = new(
        TargetMetadata,
        false,
        [Name(EntityName), Name("AttributeName"), Name("ReferencedEntity"), Name("ReferencedAttribute")],
        [EntityName, "AttributeName", "ReferencedEntity"])
    {
        ScopeColumn = EntityName,
    };

    public static OwnedTable Attributes { get; } = new(
        AttributeMetadata,
        false,
        [
            new("Id", ColumnStorageType.Int64, false, Identity: true),
            Name(EntityName),
            Name("AttributeName"),
            new("AttributeType", ColumnStorageType.String, false, 64),
            Int("AttributeTypeCode"),
            new("Version", ColumnStorageType.Int64, false),
            new("Timestamp", ColumnStorageType.DateTime, false),
            new("MetadataId", ColumnStorageType.Guid, true),
            new("Precision", ColumnStorageType.Int32, true),
            new("MaxLength", ColumnStorageType.Int32, true),
        ],
        ["Id"])
    {
        NaturalKey = [EntityName, "AttributeName"],
        Indexes = [new OwnedIndex(true, [EntityName, "AttributeName"])],
        ScopeColumn = EntityName,
        VersionColumn = "Version",
        TimestampColumn = "Timestamp",
    };

    public static IReadOnlyList<OwnedTable> All { get; } = [OptionSets, GlobalOptionSets, States, Statuses, Targets, Attributes];

    public static bool IsMetadataTable(string name) => All.Any(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    private static StateColumn Name(string name) => new(name, ColumnStorageType.String, false, 128);

    private static StateColumn Int(string name) => new(name, ColumnStorageType.Int32, false);
}
