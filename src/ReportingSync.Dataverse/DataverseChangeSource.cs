using Microsoft.Extensions.Logging;
using ReportingSync.Diagnostics;
using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// The Dataverse Web API as the engine's <see cref="IChangeSource"/>, plus the reads parallel seeds and reconciliation
/// need. One instance serves all entities: every request shares one connection pool, one service-protection gate and
/// one retry policy. Register it with <see cref="DataverseServiceCollectionExtensions.AddDataverseSource(Microsoft.Extensions.DependencyInjection.IServiceCollection, Microsoft.Extensions.Configuration.IConfiguration)"/>.
/// </summary>
public sealed class DataverseChangeSource : IChangeSource, IRowQuerySource, ISourceTraffic
{
    private readonly DataverseTransport _transport;
    private readonly MetadataReader _metadata;
    private readonly ChangeReader _changes;
    private readonly QueryReader _queries;
    private readonly OrganizationReader _organization;
    private readonly MetadataIdIndex _metadataIds = new();
    private readonly MetadataChangesReader _metadataChanges;

    internal DataverseChangeSource(DataverseTransport transport, ILoggerFactory loggers)
    {
        _transport = transport;
        var logger = loggers.CreateLogger<DataverseChangeSource>();
        var pages = new RowPageReader(transport);
        _metadata = new MetadataReader(transport, logger);
        _changes = new ChangeReader(pages, logger);
        _queries = new QueryReader(pages);
        _organization = new OrganizationReader(transport);
        _metadataChanges = new MetadataChangesReader(transport, _metadataIds, logger);
        OrganizationUrl = transport.OrganisationUrl;
    }

    /// <inheritdoc/>
    public Uri OrganizationUrl { get; }

    /// <inheritdoc/>
    public double BudgetPerSecond => _transport.Budget.PerSecond;

    /// <inheritdoc/>
    public long RequestsLastFiveMinutes => _transport.Recent.Count;

    /// <inheritdoc/>
    public DateTimeOffset? LastAnswerUtc => _transport.Recent.LastAnswer;

    /// <inheritdoc/>
    public Task<Guid> GetOrganizationIdAsync(CancellationToken cancellationToken) => _organization.ReadIdAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<EntitySchema> GetEntitySchemaAsync(string logicalName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logicalName);
        var schema = await _metadata.ReadAsync(logicalName, cancellationToken).ConfigureAwait(false);

        // Deleted columns come back from metadata-change checks as bare ids: remember whose they are.
        _metadataIds.Remember(schema);
        return schema;
    }

    /// <inheritdoc/>
    public Task<MetadataChanges> GetMetadataChangesAsync(IReadOnlyCollection<string> entities, string? stamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entities);
        return _metadataChanges.ReadAsync(entities, stamp, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="RowDecodeException">A row's value does not fit its column.</exception>
    public async Task<ChangePage> ReadChangesAsync(TableLayout layout, SyncCursor? cursor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        using var trace = SyncActivity.PageRead(layout.EntityName, cursor);
        try
        {
            var page = await _changes.ReadAsync(layout, cursor, cancellationToken).ConfigureAwait(false);
            trace.With("rows", page.Upserts.Count).With("deletes", page.Deletes.Count).With("next.cursor.kind", page.Next.Kind.ToString()).Completed();
            return page;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            trace.Cancelled();
            throw;
        }
    }

    /// <summary>
    /// One page of an ordinary query over the layout's columns (no change tracking), e.g. a key range of a parallel
    /// seed: <paramref name="filter"/> such as <see cref="ODataFilters.KeyRange"/>, <paramref name="orderBy"/> and
    /// <paramref name="top"/> are plain OData expressions (escaped here). Pass the previous page's
    /// <see cref="QueryPage.NextLink"/> as <paramref name="continuation"/> to go on; it carries the query itself.
    /// </summary>
    public Task<QueryPage> ReadQueryPageAsync(
        TableLayout layout, string? filter, string? orderBy, int? top, string? continuation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return _queries.ReadPageAsync(layout, filter, orderBy, top, continuation, cancellationToken);
    }

    /// <summary>
    /// One page of <c>(id, versionnumber)</c> keys. With <paramref name="trackChanges"/> it is a change-tracking read
    /// (no filter allowed) whose last page's <see cref="KeyPage.Next"/> is a delta link.
    /// </summary>
    public Task<KeyPage> ReadKeysPageAsync(
        TableLayout layout, string? filter, string? continuation, bool trackChanges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return _queries.ReadKeysPageAsync(layout, filter, continuation, trackChanges, cancellationToken);
    }

    /// <summary>Every key of the table (or of <paramref name="filter"/>), page after page, for reconciliation.</summary>
    public IAsyncEnumerable<RowKey> ReadKeysAsync(TableLayout layout, string? filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return _queries.ReadKeysAsync(layout, filter, cancellationToken);
    }

    /// <summary>The current rows with these ids (missing ids are absent), batched so every URL stays under ~8 KB.</summary>
    public Task<RowBatch> FetchByIdsAsync(TableLayout layout, IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(ids);
        return _queries.FetchByIdsAsync(layout, ids, cancellationToken);
    }

    /// <summary>Dataverse's (daily refreshed) row count of the table, for seed progress estimates; null when unknown.</summary>
    public Task<long?> GetTotalRecordCountAsync(string logicalName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logicalName);
        return _queries.GetTotalRecordCountAsync(logicalName, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<QueryPage> ReadRangePageAsync(TableLayout layout, IdRange range, string? continuation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        using var trace = SyncActivity.RangeRead(layout.EntityName, continuation is not null);
        try
        {
            var page = await _queries.ReadPageAsync(layout, continuation is null ? Filter(layout, range) : null, null, null, continuation, cancellationToken).ConfigureAwait(false);
            trace.With("rows", page.Rows.Count).Completed();
            return page;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            trace.Cancelled();
            throw;
        }
    }

    /// <inheritdoc/>
    public Task<KeyPage> ReadKeysPageAsync(TableLayout layout, IdRange range, string? continuation, bool trackChanges, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return _queries.ReadKeysPageAsync(layout, continuation is null ? Filter(layout, range) : null, continuation, trackChanges, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<Guid>> ReadOrderedIdsAsync(TableLayout layout, Guid? after, int count, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        return _queries.ReadOrderedIdsAsync(layout, after, count, cancellationToken);
    }

    private static string? Filter(TableLayout layout, IdRange range) =>
        range.IsAll ? null : ODataFilters.KeyRange(layout.PrimaryIdAttribute, range.From, range.To);
}
