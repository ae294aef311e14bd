using ReportingSync.Source;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>
/// Reads that are not change-tracking reads but share the same gate, retries and row decoding: ordinary filtered
/// queries (parallel seeds over key ranges), keys for reconciliation, rows by id, and record-count estimates.
/// </summary>
internal sealed class QueryReader(RowPageReader pages)
{
    /// <summary>Keep a fetch-by-ids URL under this many characters (servers and proxies commonly cap at 8 KB).</summary>
    internal const int MaxUrlLength = 8000;

    private static readonly ConditionalWeakTable<TableLayout, TableLayout> KeyLayouts = [];

    private DataverseTransport Transport => pages.Transport;

    public async Task<QueryPage> ReadPageAsync(
        TableLayout layout, string? filter, string? orderBy, int? top, string? continuation, CancellationToken cancellationToken)
    {
        var page = await ReadAsync(RowDecoderPlan.For(layout), filter, orderBy, top, continuation, trackChanges: false, cancellationToken)
            .ConfigureAwait(false);
        return new QueryPage(page.Rows, page.Links.NextLink) { Requests = page.Attempts, ResponseBytes = page.Bytes };
    }

    /// <summary>
    /// Keys only. With <paramref name="trackChanges"/> this is a change-tracking read whose last page carries a deltaLink
    /// (a cheap way to take a token before a parallel seed); change tracking allows no <paramref name="filter"/>.
    /// </summary>
    public async Task<KeyPage> ReadKeysPageAsync(
        TableLayout layout, string? filter, string? continuation, bool trackChanges, CancellationToken cancellationToken)
    {
        if (trackChanges && filter is not null)
        {
            throw new ArgumentException("Dataverse allows no $filter together with change tracking.", nameof(filter));
        }

        var page = await ReadAsync(RowDecoderPlan.For(KeyLayout(layout)), filter, null, null, continuation, trackChanges, cancellationToken)
            .ConfigureAwait(false);
        var keys = new RowKey[page.Rows.Count];
        for (var i = 0; i < keys.Length; i++)
        {
            keys[i] = new RowKey(page.Rows.GetId(i), page.Rows.GetVersion(i));
        }

        var next = page.Links switch
        {
            { NextLink: { } link } => SyncCursor.Next(link),
            { DeltaLink: { } link } => SyncCursor.Delta(link),
            _ => null,
        };
        return new KeyPage(keys, page.Deletes, next) { Requests = page.Attempts };
    }

    /// <summary>Up to <paramref name="count"/> ids after <paramref name="after"/> in Dataverse order (<c>$orderby</c> + <c>$top</c>).</summary>
    public async Task<IReadOnlyList<Guid>> ReadOrderedIdsAsync(TableLayout layout, Guid? after, int count, CancellationToken cancellationToken)
    {
        var id = Identifier.Validate(layout.PrimaryIdAttribute, "primary id attribute");
        var filter = after is { } from ? $"{id} gt {from:D}" : null;
        var page = await ReadAsync(RowDecoderPlan.For(KeyLayout(layout)), filter, id, count, null, trackChanges: false, cancellationToken)
            .ConfigureAwait(false);
        var ids = new Guid[page.Rows.Count];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = page.Rows.GetId(i);
        }

        return ids;
    }

    public async IAsyncEnumerable<RowKey> ReadKeysAsync(
        TableLayout layout, string? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? link = null;
        do
        {
            var page = await ReadKeysPageAsync(layout, filter, link, trackChanges: false, cancellationToken).ConfigureAwait(false);
            foreach (var key in page.Keys)
            {
                yield return key;
            }

            link = page.Next?.Url;
        }
        while (link is not null);
    }

    /// <summary>
    /// Rows by primary id, in as many requests as needed to keep each URL under <see cref="MaxUrlLength"/>. Ids that
    /// no longer exist are simply absent from the result.
    /// </summary>
    public async Task<RowBatch> FetchByIdsAsync(TableLayout layout, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        var plan = RowDecoderPlan.For(layout);
        var result = new RowBatch(layout, ids.Count);
        var budget = MaxUrlLength - pages.StartUri(plan).OriginalString.Length - "&$filter=".Length;
        foreach (var batch in Batches(layout.PrimaryIdAttribute, ids, budget))
        {
            string? link = null;
            do
            {
                var page = await ReadAsync(plan, ODataFilters.AnyId(layout.PrimaryIdAttribute, batch), null, null, link, false, cancellationToken)
                    .ConfigureAwait(false);
                foreach (var row in page.Rows.Rows)
                {
                    result.Add(row);
                }

                link = page.Links.NextLink;
            }
            while (link is not null);
        }

        return result;
    }

    /// <summary>
    /// <c>RetrieveTotalRecordCount</c>: a cheap estimate for seed progress (Dataverse refreshes it about daily, so it
    /// lags recent changes). Null when Dataverse has no count for the table.
    /// </summary>
    public async Task<long?> GetTotalRecordCountAsync(string logicalName, CancellationToken cancellationToken)
    {
        var entity = Identifier.Validate(logicalName, "entity");
        var url = $"{Transport.ApiBase}RetrieveTotalRecordCount(EntityNames=@p1)?@p1={Uri.EscapeDataString($"[\"{entity}\"]")}";
        var sent = await Transport.SendAsync(
            new DataverseRequest(new Uri(url), entity, RequestPurpose.Count),
            body => JsonText.Deserialize(body, MetadataJsonContext.Default.RecordCountDto),
            cancellationToken).ConfigureAwait(false);

        var counts = sent.Value?.EntityRecordCountCollection;
        var index = counts?.Keys?.FindIndex(k => string.Equals(k, entity, StringComparison.OrdinalIgnoreCase)) ?? -1;
        return index >= 0 && counts!.Values is { } values && index < values.Count ? values[index] : null;
    }

    private Task<RowPage> ReadAsync(
        RowDecoderPlan plan, string? filter, string? orderBy, int? top, string? continuation, bool trackChanges, CancellationToken cancellationToken)
    {
        var entity = plan.Layout.EntityName;
        var prefer = plan.Prefer(Transport.PageSize, trackChanges);
        var request = continuation is null
            ? new DataverseRequest(pages.StartUri(plan, filter, orderBy, top), entity, trackChanges ? RequestPurpose.ChangesStart : RequestPurpose.Query, prefer)
            : new DataverseRequest(pages.LinkUri(continuation, plan), entity, trackChanges ? RequestPurpose.ChangesContinue : RequestPurpose.QueryContinue, prefer);
        return pages.ReadAsync(plan, request, cancellationToken);
    }

    /// <summary>Splits ids so that each <c>$filter</c>, escaped, fits <paramref name="budget"/> characters (at least one id each).</summary>
    internal static IEnumerable<List<Guid>> Batches(string primaryIdAttribute, IEnumerable<Guid> ids, int budget)
    {
        var clause = Uri.EscapeDataString($"{primaryIdAttribute} eq {Guid.Empty:D}").Length;
        var separator = Uri.EscapeDataString(" or ").Length;
        var batch = new List<Guid>();
        var length = 0;
        foreach (var id in ids)
        {
            var added = batch.Count == 0 ? clause : separator + clause;
            if (batch.Count > 0 && length + added > budget)
            {
                yield return batch;
                batch = [];
                added = clause;
                length = 0;
            }

            batch.Add(id);
            length += added;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }

    /// <summary>A two-column layout (Id, versionnumber) over the same table, so keys reuse the row decoder.</summary>
    private static TableLayout KeyLayout(TableLayout layout) => KeyLayouts.GetValue(layout, static l => TableLayout.Create(new EntitySchema
    {
        LogicalName = l.EntityName,
        EntitySetName = l.EntitySetName,
        PrimaryIdAttribute = l.PrimaryIdAttribute,
        Attributes = [new AttributeSchema { LogicalName = SyncColumns.Version, Kind = AttributeKind.BigInt }],
    }));
}
