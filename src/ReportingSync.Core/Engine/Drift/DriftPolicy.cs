using ReportingSync.Target;

namespace ReportingSync.Engine.Drift;

/// <summary>What to do with an attribute that appears in the source (names as Debezium / Airbyte call them).</summary>
public enum NewColumnPolicy
{
    /// <summary>Add the column and fill it for existing rows.</summary>
    Evolve,

    /// <summary>Leave the table as it is; the attribute is not replicated.</summary>
    Ignore,

    /// <summary>Stop the entity with a message naming the attribute.</summary>
    Fail,
}

/// <summary>What to do when an attribute's type changes in a way the column cannot absorb in place.</summary>
public enum TypeChangePolicy
{
    /// <summary>Rebuild the table through a shadow re-seed and an atomic swap.</summary>
    Rebuild,

    /// <summary>Stop the entity with a message naming the attribute and both types.</summary>
    Fail,
}

/// <summary>What to do with a column whose attribute is gone from the source.</summary>
public enum RemovedColumnPolicy
{
    /// <summary>Keep the column; it holds NULL for rows written from then on.</summary>
    Keep,

    /// <summary>Drop the column.</summary>
    Drop,
}

/// <summary>Drift policies, set globally under <c>ReportingSync:Drift</c> and overridable per entity.</summary>
public sealed class DriftPolicy
{
    public NewColumnPolicy NewColumns { get; set; } = NewColumnPolicy.Evolve;

    public TypeChangePolicy TypeChanges { get; set; } = TypeChangePolicy.Rebuild;

    public RemovedColumnPolicy RemovedColumns { get; set; } = RemovedColumnPolicy.Keep;
}

/// <summary>Per-entity overrides: a null member falls back to the global policy.</summary>
public sealed class DriftPolicyOverride
{
    public NewColumnPolicy? NewColumns { get; set; }

    public TypeChangePolicy? TypeChanges { get; set; }

    public RemovedColumnPolicy? RemovedColumns { get; set; }

    public DriftPolicy Over(DriftPolicy global) => new()
    {
        NewColumns = NewColumns ?? global.NewColumns,
        TypeChanges = TypeChanges ?? global.TypeChanges,
        RemovedColumns = RemovedColumns ?? global.RemovedColumns,
    };
}
