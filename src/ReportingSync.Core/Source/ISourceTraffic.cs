namespace ReportingSync.Source;

/// <summary>
/// What the source has sent against its request budget, for the status page, <c>status --json</c>, metrics and
/// readiness. Dataverse counts every request of an application user in any 5-minute window (6,000 at most), so that is
/// the window reported here.
/// </summary>
public interface ISourceTraffic
{
    /// <summary>Requests per second the source may send at most, every kind of request together.</summary>
    double BudgetPerSecond { get; }

    /// <summary>Requests sent in the last five minutes, every attempt counted (as Dataverse counts them).</summary>
    long RequestsLastFiveMinutes { get; }

    /// <summary>When the source last answered a request successfully; null before the first answer.</summary>
    DateTimeOffset? LastAnswerUtc { get; }
}
