namespace ReportingSync.Cli;

/// <summary>Process exit codes (documented in README).</summary>
internal static class ExitCodes
{
    /// <summary>Everything asked for was done.</summary>
    public const int Success = 0;

    /// <summary>The run started but an entity failed (or, for <c>reconcile</c>, differences were found).</summary>
    public const int Failure = 1;

    /// <summary>Nothing was done: bad configuration or usage, or a preflight check failed (source, target, entities).</summary>
    public const int CannotStart = 2;
}
