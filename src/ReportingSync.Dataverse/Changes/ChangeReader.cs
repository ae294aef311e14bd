using Microsoft.Extensions.Logging;
using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// Change-tracking reads: the initial read of all rows (<c>Prefer: odata.track-changes</c>) and every page after it,
/// following nextLink / deltaLink verbatim with the same Prefer.
/// </summary>
internal sealed class ChangeReader(RowPageReader pages, ILogger logger)
{
    public async Task<ChangePage> ReadAsync(TableLayout layout, SyncCursor? cursor, CancellationToken cancellationToken)
    {
        var plan = RowDecoderPlan.For(layout);
        var prefer = plan.Prefer(pages.Transport.PageSize, trackChanges: true);
        var request = cursor is null
            ? new DataverseRequest(pages.StartUri(plan), layout.EntityName, RequestPurpose.ChangesStart, prefer)
            : new DataverseRequest(
                pages.LinkUri(cursor.IsDelta ? DeltaLinkSelect.Rebase(cursor.Url, plan.Select) : cursor.Url, plan),
                layout.EntityName,
                RequestPurpose.ChangesContinue,
                prefer,
                // A delta link starts a delta read: streaming whoever asks (a re-seed keeps its live table fresh with one).
                cursor.IsDelta ? SourcePriority.Streaming : null);

        var page = await pages.ReadAsync(plan, request, cancellationToken).ConfigureAwait(false);
        var next = page.Links switch
        {
            { NextLink: { } link } => SyncCursor.Next(link),
            { DeltaLink: { } link } => SyncCursor.Delta(link),
            _ => throw new SourceUnavailableException(
                $"Dataverse at {pages.Transport.Host} answered a change-tracking read of '{layout.EntityName}' without @odata.nextLink or @odata.deltaLink, so the read cannot continue.",
                isTransient: false),
        };

        Log.PageRead(logger, layout.EntityName, page.Rows.Count, page.Deletes.Count, page.Bytes, page.Attempts, next.Kind);
        return new ChangePage(page.Rows, page.Deletes, next) { Requests = page.Attempts };
    }
}
