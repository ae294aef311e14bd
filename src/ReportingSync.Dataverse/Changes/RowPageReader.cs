using System.Buffers;
using System.Text;

namespace ReportingSync.Dataverse;

/// <summary>
/// Reads pages of rows for any kind of read (change tracking, ordinary queries, keys, fetch by ids): builds the first
/// URL from a <see cref="RowDecoderPlan"/> or follows a link verbatim, and decodes the answer inside the retried
/// operation.
/// </summary>
internal sealed class RowPageReader(DataverseTransport transport)
{
    public DataverseTransport Transport => transport;

    /// <summary><c>{Url}/api/data/{ver}/{set}?$select=...</c> plus optional, already-escaped query options.</summary>
    public Uri StartUri(RowDecoderPlan plan, string? filter = null, string? orderBy = null, int? top = null)
    {
        var url = new StringBuilder(transport.ApiBase)
            .Append(plan.Layout.EntitySetName)
            .Append("?$select=").Append(plan.Select);
        if (filter is not null)
        {
            url.Append("&$filter=").Append(Uri.EscapeDataString(filter));
        }

        if (orderBy is not null)
        {
            url.Append("&$orderby=").Append(Uri.EscapeDataString(orderBy));
        }

        if (top is { } count)
        {
            url.Append("&$top=").Append(count);
        }

        return new Uri(url.ToString());
    }

    public Uri LinkUri(string link, RowDecoderPlan plan) => ContinuationLink.ToUri(link, transport.OrganisationUrl, plan.Layout.EntityName);

    public async Task<RowPage> ReadAsync(RowDecoderPlan plan, DataverseRequest request, CancellationToken cancellationToken)
    {
        var sent = await transport.SendAsync(request, body => Decode(plan, body), cancellationToken).ConfigureAwait(false);
        return sent.Value with { Attempts = sent.Attempts };
    }

    /// <summary>Synchronous decode of a complete body: never waits on the network, and a retry starts from scratch.</summary>
    internal static RowPage Decode(RowDecoderPlan plan, ReadOnlySequence<byte> body)
    {
        var rows = Model.RowBatch.Columnar(plan.Layout, 0);
        try
        {
            var deletes = new List<Guid>();
            var reader = new RowReader(plan, rows, deletes);
            var links = ODataCollectionReader.Read(body, ref reader);
            return new RowPage(rows, deletes, links, (int)body.Length, 0);
        }
        catch
        {
            // The attempt failed (and may be retried with a fresh batch): its storage goes back to the pool.
            rows.Dispose();
            throw;
        }
    }

    /// <summary>The same for a contiguous body.</summary>
    internal static RowPage Decode(RowDecoderPlan plan, ReadOnlySpan<byte> body)
    {
        var rows = Model.RowBatch.Columnar(plan.Layout, 0);
        try
        {
            var deletes = new List<Guid>();
            var reader = new RowReader(plan, rows, deletes);
            var links = ODataCollectionReader.Read(body, ref reader);
            return new RowPage(rows, deletes, links, body.Length, 0);
        }
        catch
        {
            rows.Dispose();
            throw;
        }
    }
}
