using ReportingSync.Model;

namespace ReportingSync.Source;

/// <summary>One page of an ordinary (not change-tracking) query.</summary>
/// <param name="Rows">Rows in layout column order.</param>
/// <param name="NextLink">The opaque link to the next page, or null on the last page.</param>
public sealed record QueryPage(RowBatch Rows, string? NextLink)
{
    /// <summary>HTTP attempts the page cost (retries included).</summary>
    public int Requests { get; init; } = 1;

    /// <summary>Bytes of the answer's body (0 when unknown), for memory budgets: what reading this page held at its peak, with the rows.</summary>
    public long ResponseBytes { get; init; }
}
