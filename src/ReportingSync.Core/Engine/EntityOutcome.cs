namespace ReportingSync.Engine;

/// <summary>How one entity's pass ended in a single-pass run (<c>run --once</c>).</summary>
public sealed record EntityOutcome(string Entity, CycleResult Result, Exception? Error)
{
    public bool Succeeded => Error is null;
}
