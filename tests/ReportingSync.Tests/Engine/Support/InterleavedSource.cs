using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Tests.Engine.Support;

/// <summary>A row source that answers the first fetch by id with what the table holds then, and only afterwards lets something else happen (a worker's commit).</summary>
internal sealed class InterleavedSource(ScriptedTable table, Func<Task> afterFirstFetch) : IRowQuerySource
{
    private int _fetches;

    public async Task<RowBatch> FetchByIdsAsync(TableLayout layout, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var rows = await table.FetchByIdsAsync(layout, ids, cancellationToken);
        if (Interlocked.Increment(ref _fetches) == 1)
        {
            await afterFirstFetch();
        }

        return rows;
    }

    public Task<long?> GetTotalRecordCountAsync(string logicalName, CancellationToken cancellationToken) => table.GetTotalRecordCountAsync(logicalName, cancellationToken);

    public Task<QueryPage> ReadRangePageAsync(TableLayout layout, IdRange range, string? continuation, CancellationToken cancellationToken) =>
        table.ReadRangePageAsync(layout, range, continuation, cancellationToken);

    public Task<KeyPage> ReadKeysPageAsync(TableLayout layout, IdRange range, string? continuation, bool trackChanges, CancellationToken cancellationToken) =>
        table.ReadKeysPageAsync(layout, range, continuation, trackChanges, cancellationToken);

    public Task<IReadOnlyList<Guid>> ReadOrderedIdsAsync(TableLayout layout, Guid? after, int count, CancellationToken cancellationToken) =>
        table.ReadOrderedIdsAsync(layout, after, count, cancellationToken);
}
