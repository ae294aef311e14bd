using ReportingSync.Model;

namespace ReportingSync.Source;

/// <summary>
/// Ordinary (not change-tracking) reads of the source, sharing the change source's request budget: key ranges for
/// parallel seeds, keys for reconciliation, rows by id for repairs, and row-count estimates for progress.
/// </summary>
public interface IRowQuerySource
{
    /// <summary>
    /// One page of the layout's columns for the rows in <paramref name="range"/>. Pass the previous page's
    /// <see cref="QueryPage.NextLink"/> as <paramref name="continuation"/> to go on (it carries the query itself).
    /// </summary>
    Task<QueryPage> ReadRangePageAsync(TableLayout layout, IdRange range, string? continuation, CancellationToken cancellationToken);

    /// <summary>
    /// One page of <c>(id, versionnumber)</c> keys in <paramref name="range"/>. With <paramref name="trackChanges"/>
    /// it is a change-tracking read (range must be <see cref="IdRange.All"/>) whose last page's
    /// <see cref="KeyPage.Next"/> is a delta link: a token taken before a parallel seed.
    /// </summary>
    Task<KeyPage> ReadKeysPageAsync(TableLayout layout, IdRange range, string? continuation, bool trackChanges, CancellationToken cancellationToken);

    /// <summary>
    /// Up to <paramref name="count"/> ids in Dataverse order after <paramref name="after"/> (exclusive, null = from the
    /// start), for sampling partition boundaries with <c>$orderby</c>/<c>$top</c>.
    /// </summary>
    Task<IReadOnlyList<Guid>> ReadOrderedIdsAsync(TableLayout layout, Guid? after, int count, CancellationToken cancellationToken);

    /// <summary>The current rows with these ids (ids that no longer exist are absent).</summary>
    Task<RowBatch> FetchByIdsAsync(TableLayout layout, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken);

    /// <summary>An estimate of the table's row count (for progress); null when the source has none.</summary>
    Task<long?> GetTotalRecordCountAsync(string logicalName, CancellationToken cancellationToken);
}
