namespace ReportingSync.Target;

/// <summary>
/// A row of <c>reportingsync.WorkerStatus</c>: what one replica says about its own pace, every few seconds, so that
/// <c>status</c> (a separate process) and every replica's status page can show each entity's poll interval and each
/// replica's requests against its budget.
/// </summary>
/// <param name="WorkerId">The replica's lease owner name.</param>
/// <param name="UpdatedUtc">When the replica wrote the row; a row that stops moving belongs to a stopped replica.</param>
/// <param name="BudgetPerSecond">The replica's request budget (requests per second to Dataverse).</param>
/// <param name="RequestsLastFiveMinutes">Requests the replica sent to Dataverse in the five minutes before <paramref name="UpdatedUtc"/>.</param>
/// <param name="PollIntervalSeconds">The current poll interval of every entity the replica reads, in seconds.</param>
public sealed record WorkerReport(
    string WorkerId, DateTime UpdatedUtc, double BudgetPerSecond, long RequestsLastFiveMinutes, IReadOnlyDictionary<string, double> PollIntervalSeconds)
{
    /// <summary>How old a report may be and still describe a running replica (it writes every 15 s).</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromMinutes(1);

    /// <summary>Requests in the last five minutes as a share of the budget for five minutes (1 = all of it).</summary>
    public double BudgetUsed => BudgetPerSecond > 0 ? RequestsLastFiveMinutes / (BudgetPerSecond * 300) : 0;

    public bool IsFresh(DateTime nowUtc) => nowUtc - UpdatedUtc <= Freshness;
}
