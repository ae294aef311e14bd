using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>A column as it exists in the target database, read back for drift planning.</summary>
/// <param name="Type">The storage type the database type maps back to; null for a type the replicator never creates.</param>
/// <param name="DatabaseType">The type as the database spells it (e.g. <c>varchar(100)</c>), for messages.</param>
public sealed record TargetColumn(string Name, ColumnStorageType? Type, int? MaxLength, int? Precision, string DatabaseType);
