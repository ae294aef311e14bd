using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// One column of an entity table that DDL is about to change: widen (same kind of value, more room), retype (another
/// kind of value: a type-change rebuild) or drop (<see cref="Desired"/> null). Dialects decide from it what the DDL
/// would break (<see cref="SqlDialect.DependentsAsync"/>).
/// </summary>
internal sealed record ColumnAlteration(TargetColumn Current, TableColumn? Desired)
{
    public string Name => Current.Name;

    /// <summary>The column's storage type changes (int to bigint included), not only its length or scale.</summary>
    public bool Retypes => Desired is not null && Desired.Type != Current.Type;

    /// <summary>A string column that only gets longer.</summary>
    public bool Lengthens => Desired is { Type: ColumnStorageType.String } && Current.Type == ColumnStorageType.String;

    public bool Drops => Desired is null;
}
