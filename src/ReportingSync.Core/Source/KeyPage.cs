using ReportingSync.Model;

namespace ReportingSync.Source;

/// <summary>One page of keys (<c>$select=&lt;primary id&gt;,versionnumber</c>).</summary>
/// <param name="Keys">Row ids and versions.</param>
/// <param name="Deletes">Ids deleted since the link's token (delta reads only).</param>
/// <param name="Next">
/// The link to follow: a nextLink while pages remain; for a change-tracking read the last page carries the deltaLink;
/// null after the last page of an ordinary query.
/// </param>
public sealed record KeyPage(IReadOnlyList<RowKey> Keys, IReadOnlyList<Guid> Deletes, SyncCursor? Next)
{
    /// <summary>HTTP attempts the page cost (retries included).</summary>
    public int Requests { get; init; } = 1;
}
