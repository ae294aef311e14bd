namespace ReportingSync.Engine;

/// <summary>
/// The worker cannot start: the target or source is unreachable, or a configured entity cannot be replicated.
/// Raised before anything is written, with one message per problem.
/// </summary>
public sealed class StartupException(IReadOnlyList<string> problems, Exception? inner = null)
    : Exception(string.Join(Environment.NewLine, problems), inner)
{
    public IReadOnlyList<string> Problems { get; } = problems;
}
