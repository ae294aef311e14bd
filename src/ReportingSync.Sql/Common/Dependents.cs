using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// What DDL on an entity table would break or lose (<see cref="SqlDialect.DependentsAsync"/>): the objects it keeps by
/// dropping and re-creating them around the DDL, in the order they are created (an object after everything it is built
/// on; dropped in the reverse order), what decorates the label view (grants, comments: the label view itself is ours
/// and re-created from the layout), and the objects it cannot keep, which stop the DDL before anything runs.
/// </summary>
internal sealed record Dependents(IReadOnlyList<DependentObject> Objects, IReadOnlyList<SqlStatement> LabelView, IReadOnlyList<BlockingObject> Blockers)
{
    public static Dependents None { get; } = new([], [], []);
}
