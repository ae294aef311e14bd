using ReportingSync.Engine;
using ReportingSync.Target;

namespace ReportingSync.Cli;

/// <summary>Commands that only read or write the state tables start by checking the target, reported like a preflight.</summary>
internal static class TargetReachability
{
    public static async Task EnsureAsync(IReportingTarget target, CancellationToken cancellationToken)
    {
        try
        {
            await target.CheckAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (TargetException ex)
        {
            throw new StartupException([ex.Message], ex);
        }
    }
}
