using ReportingSync.Target;

namespace ReportingSync.Operations;

/// <summary>One replica's requests to Dataverse against its budget, as <c>/status</c> and <c>status</c> show it.</summary>
internal sealed record WorkerBudgetView
{
    public required string Worker { get; init; }

    /// <summary>When the figures were taken (now for this worker, the report's time for another replica).</summary>
    public required DateTime AtUtc { get; init; }

    /// <summary>Requests per second the replica may send (<c>ReportingSync:Dataverse:RequestBudgetPerSecond</c>).</summary>
    public required double BudgetPerSecond { get; init; }

    /// <summary>The same budget over Dataverse's 5-minute window.</summary>
    public double BudgetPerFiveMinutes => Math.Round(BudgetPerSecond * 300, 1);

    /// <summary>Requests sent in the last five minutes, every attempt.</summary>
    public required long RequestsLastFiveMinutes { get; init; }

    /// <summary>Those requests as a percentage of the budget for five minutes.</summary>
    public double UsedPercent => BudgetPerSecond > 0 ? Math.Round(100.0 * RequestsLastFiveMinutes / (BudgetPerSecond * 300), 1) : 0;

    public static WorkerBudgetView Of(WorkerReport report) => new()
    {
        Worker = report.WorkerId,
        AtUtc = report.UpdatedUtc,
        BudgetPerSecond = report.BudgetPerSecond,
        RequestsLastFiveMinutes = report.RequestsLastFiveMinutes,
    };
}
