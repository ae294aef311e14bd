using ReportingSync.Model;

namespace ReportingSync.Target;

/// <summary>
/// A schema change of an entity table was not applied because objects built on the table (<see cref="Objects"/>) could
/// not be kept through it. Nothing was changed: the transaction that found them rolled back. A re-seed's swap waits
/// and tries again (<see cref="EntityState.ReseedBlocked"/>); in-place drift DDL fails the entity with this message.
/// </summary>
internal sealed class DependentObjectsException(string table, IReadOnlyList<BlockingObject> objects)
    : TargetException($"The change to '{table}' was not applied: it cannot keep {string.Join("; ", objects)}")
{
    public string Table { get; } = table;

    public IReadOnlyList<BlockingObject> Objects { get; } = objects;

    public override bool IsTransient => false;
}
