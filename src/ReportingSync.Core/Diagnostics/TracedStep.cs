using System.Diagnostics;

namespace ReportingSync.Diagnostics;

/// <summary>
/// A span that ends as an error unless the step says it completed, so the engine needs no try/catch to mark failures:
/// <c>using var trace = SyncActivity.PageCommit(...); ...; trace.Completed();</c>. Free when nobody listens (no activity).
/// </summary>
internal readonly struct TracedStep(Activity? activity) : IDisposable
{
    public Activity? Activity => activity;

    public static implicit operator TracedStep(Activity? activity) => new(activity);

    /// <summary>Adds a tag (no-op without a listener).</summary>
    public TracedStep With(string key, object? value)
    {
        activity?.SetTag(key, value);
        return this;
    }

    public void Completed() => activity?.SetStatus(ActivityStatusCode.Ok);

    /// <summary>Stopped by shutdown or a cancelled read-ahead: not an error of the step.</summary>
    public void Cancelled()
    {
        activity?.SetTag("cancelled", true);
        activity?.SetStatus(ActivityStatusCode.Ok);
    }

    public void Dispose()
    {
        if (activity is { Status: ActivityStatusCode.Unset })
        {
            // Left by an exception: the error itself is logged (with redacted text) where it is handled.
            activity.SetStatus(ActivityStatusCode.Error, "the step did not complete");
        }

        activity?.Dispose();
    }
}
