using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Engine;

/// <summary>
/// Saved links belong to one Dataverse organisation and name the host they were issued on. The state row records the
/// organisation (<see cref="EntityState.OrganizationId"/>); each cycle compares it with the configured one:
/// <list type="bullet">
/// <item>same organisation: links issued under another of its URLs (an environment renamed, a host alias) are moved onto
/// the configured URL, path and query byte for byte;</item>
/// <item>not recorded yet (a row from an earlier version): recorded, unless a link points elsewhere, which cannot be proven
/// to be the same organisation;</item>
/// <item>another organisation, or a link that cannot be proven to be this one's: the rows are read again. A first seed starts
/// over, table included; a streaming table is re-seeded into a shadow table and swapped, and until then keeps what it has
/// (its delta link would return another organisation's idea of "changes since"). Start-up refuses this case unless a
/// re-seed was asked for (<see cref="SyncSupervisor"/>).</item>
/// </list>
/// </summary>
internal sealed partial class EntitySyncAgent
{
    internal const string OrganizationChangedReason = "OrganizationChanged";

    /// <summary>The organisation the source is; null skips every check (a source that cannot say).</summary>
    public SourceOrganization? Organization { get; set; }

    /// <summary>Brings the saved links in line with <see cref="Organization"/>; a result when that took the whole cycle.</summary>
    private async Task<CycleResult?> FollowOrganizationAsync(CancellationToken cancellationToken)
    {
        if (Organization is not { } organization)
        {
            return null;
        }

        var foreign = HasForeignLinks(_state, organization.Url);
        if (_state.OrganizationId == organization.Id && foreign)
        {
            await ChangeStateAsync(Rebased(_state, organization.Url) with { UpdatedUtc = UtcNow }, History("LinksRebased", organization.Url.GetLeftPart(UriPartial.Authority)), null, cancellationToken)
                .ConfigureAwait(false);
            Log.LinksRebased(_log, EntityName, organization.Url.GetLeftPart(UriPartial.Authority));
            return null;
        }

        if (_state.OrganizationId == organization.Id || _state.OrganizationId is null && !foreign)
        {
            // Recorded by the next commit (every cycle commits at least its last page).
            _state = _state with { OrganizationId = organization.Id };
            return null;
        }

        var reason = _state.OrganizationId is { } stored
            ? $"its rows and links are of organisation {stored}{LinkHost(_state)}"
            : $"its links name another host{LinkHost(_state)}, and no organisation was recorded with them";
        Log.OrganizationChanged(_log, EntityName, organization.Id, organization.Url.GetLeftPart(UriPartial.Authority), reason);

        // Every commit from here on is of this organisation's rows; the first one records it.
        _state = _state with { OrganizationId = organization.Id };
        switch (EffectiveStatus(_state))
        {
            case EntityStatus.New or EntityStatus.Seeding:
                return await StartSeedOverAsync(reason, cancellationToken).ConfigureAwait(false);

            default:
                // A running re-seed's shadow starts over too; the live table waits for the swap, which also answers the
                // re-seed requests start-up asked for (run --reseed).
                var asked = (await _states.OpenCommandsAsync(EntityName, cancellationToken).ConfigureAwait(false)).Where(IsReseed).ToList();
                await BeginReseedAsync(OrganizationChangedReason, reason, Ids(asked), cancellationToken).ConfigureAwait(false);
                return await ReseedCycleAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every saved link of the state: the cursors and a parallel seed's links.</summary>
    private static IEnumerable<string> Links(EntityState state)
    {
        string?[] links =
        [
            state.Cursor?.Url, state.ShadowCursor?.Url, state.ParallelSeed?.Token, state.ParallelSeed?.KeysNext,
            .. state.ParallelSeed?.Ranges.Select(r => r.Next) ?? [],
        ];
        return links.Where(l => !string.IsNullOrEmpty(l)).Select(l => l!);
    }

    private static bool HasForeignLinks(EntityState state, Uri url) => Links(state).Any(l => SourceLink.IsElsewhere(l, url));

    private static string LinkHost(EntityState state) =>
        Links(state).Select(SourceLink.OriginOf).FirstOrDefault() is { } host ? $" (saved links on {host})" : string.Empty;

    private static EntityState Rebased(EntityState state, Uri url)
    {
        string? Move(string? link) => string.IsNullOrEmpty(link) || !SourceLink.IsElsewhere(link, url) ? link : SourceLink.Rebase(link, url);
        SyncCursor? MoveCursor(SyncCursor? cursor) => cursor is null ? null : cursor with { Url = Move(cursor.Url)! };
        return state with
        {
            Cursor = MoveCursor(state.Cursor),
            ShadowCursor = MoveCursor(state.ShadowCursor),
            ParallelSeed = state.ParallelSeed is { } seed
                ? seed with { Token = Move(seed.Token), KeysNext = Move(seed.KeysNext), Ranges = [.. seed.Ranges.Select(r => r with { Next = Move(r.Next) })] }
                : null,
        };
    }
}
