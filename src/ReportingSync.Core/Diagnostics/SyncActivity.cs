using System.Diagnostics;
using ReportingSync.Model;

namespace ReportingSync.Diagnostics;

/// <summary>
/// The worker's trace spans (<see cref="ActivitySource"/> <c>ReportingSync</c>): one per page read, page commit, re-seed
/// slice, shadow swap and reconciliation run. Tags carry what an operator needs to place a span (entity, rows, deletes,
/// cursor kinds, re-seed reason, reconciliation counts) and never a link, a token, a key or a connection string:
/// continuation links hold Dataverse's paging cookies and delta tokens, so only their kind is recorded. Kept apart from
/// the engine so that instrumenting a step is one <c>using</c> line there.
/// </summary>
internal static class SyncActivity
{
    public const string SourceName = "ReportingSync";

    private static readonly ActivitySource Source = new(SourceName);

    /// <summary>A page of rows read from the source, from <paramref name="from"/> (null: the first page of a read).</summary>
    public static TracedStep PageRead(string entity, SyncCursor? from) =>
        Start("sync.page.read", ActivityKind.Client, entity)?.SetTag("cursor.kind", from is null ? "Initial" : from.Kind.ToString());

    /// <summary>A page of one key range of a parallel seed.</summary>
    public static TracedStep RangeRead(string entity, bool continued) =>
        Start("sync.page.read", ActivityKind.Client, entity)?.SetTag("cursor.kind", continued ? "RangeNextLink" : "Range");

    /// <summary>One page committed with its cursor (the target's transaction, retries included).</summary>
    public static TracedStep PageCommit(string entity, int rows, int deletes, CursorKind next) =>
        Start("sync.page.commit", ActivityKind.Internal, entity)?
            .SetTag("rows", rows).SetTag("deletes", deletes).SetTag("next.cursor.kind", next.ToString());

    /// <summary>One re-seed cycle: the live table's delta, a slice of shadow pages, and the swap when the shadow read is done.</summary>
    public static TracedStep Reseed(string entity, string? reason) =>
        Start("sync.reseed", ActivityKind.Internal, entity)?.SetTag("reseed.reason", reason);

    /// <summary>The shadow table replacing the live one.</summary>
    public static TracedStep Swap(string entity, long rows) =>
        Start("sync.reseed.swap", ActivityKind.Internal, entity)?.SetTag("rows", rows);

    /// <summary>One reconciliation run of one entity.</summary>
    public static TracedStep Reconciliation(string entity, string mode) =>
        Start("sync.reconcile", ActivityKind.Internal, entity)?.SetTag("reconcile.mode", mode);

    private static Activity? Start(string name, ActivityKind kind, string entity) =>
        Source.StartActivity(name, kind)?.SetTag("entity", entity);
}
