using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Engine.Drift;

/// <summary>
/// What it takes to bring an existing table in line with fresh metadata. <see cref="Layout"/> is the layout the
/// entity should use once the plan is applied: the fresh one, minus ignored attributes, plus kept removed columns
/// do not matter to it (the target leaves them NULL).
/// </summary>
public sealed record DriftPlan(string EntityName, TableLayout Layout, IReadOnlyList<DriftStep> Steps)
{
    public bool IsEmpty => Steps.Count == 0;

    /// <summary>Steps that need DDL (add, widen, drop) in plan order.</summary>
    public IReadOnlyList<ColumnChange> ColumnChanges => Steps.Select(s => s.ToColumnChange()).OfType<ColumnChange>().ToList();

    public bool NeedsRebuild => Steps.Any(s => s.Action == DriftAction.Rebuild);

    public bool Fails => Steps.Any(s => s.Action == DriftAction.Fail);

    /// <summary>New columns that existing rows must be re-read for.</summary>
    public bool NeedsBackfill => Steps.Any(s => s.Action == DriftAction.AddColumn);

    /// <summary>Only steps that change something (kept and ignored columns are informational).</summary>
    public bool ChangesTable => Steps.Any(s => s.Action is not (DriftAction.KeepRemoved or DriftAction.IgnoreNew));
}
