namespace ReportingSync.Operations;

/// <summary>What <c>/status</c> answers: the worker, whether its view of the state is fresh, and every entity.</summary>
internal sealed record StatusSnapshot
{
    public required string Worker { get; init; }
    public required DateTime GeneratedUtc { get; init; }

    /// <summary>When the state rows were last read successfully; null before the first read.</summary>
    public DateTime? StateLoadedUtc { get; init; }

    /// <summary>Why the last read of the state rows failed (database down...), null when it succeeded.</summary>
    public string? StateError { get; init; }

    /// <summary>Whether the page may offer re-seeds (an API key is configured). The key itself is never shown.</summary>
    public bool ReseedEnabled { get; init; }

    public int RefreshMilliseconds { get; init; }

    /// <summary>This worker's requests to Dataverse in the last five minutes against its budget.</summary>
    public WorkerBudgetView? Budget { get; init; }

    /// <summary>Every running replica's last report of its requests against its budget (this one included).</summary>
    public IReadOnlyList<WorkerBudgetView> Workers { get; init; } = [];

    public IReadOnlyList<EntityStatusView> Entities { get; init; } = [];
}
