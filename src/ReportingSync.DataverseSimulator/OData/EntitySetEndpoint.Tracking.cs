using System.Text.Json;
using Microsoft.AspNetCore.Http;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.OData;

internal sealed partial class EntitySetEndpoint
{
    /// <summary>
    /// Change tracking. Without a delta token: the initial read, every current row in id order, whose last page
    /// carries a deltaLink for the version the read began at (changes made during the read come back in the first
    /// delta). With one: the changes since that token, up to a bound fixed by the delta read's first page.
    /// </summary>
    private async Task TrackedReadAsync(HttpContext http, TableData table, QueryOptions query, Preferences preferences, PagingCookie? cookie, CancellationToken cancellationToken)
    {
        var definition = table.Schema.Definition;
        foreach (var (option, present) in (ReadOnlySpan<(string, bool)>)
            [("$filter", query.Filter is not null), ("$orderby", query.OrderByText is not null), ("$top", query.Top is not null), ("$expand", query.Expand is not null)])
        {
            if (present)
            {
                throw ErrorCodes.BadRequest($"The {option} query parameter isn't supported when Change Tracking is enabled.");
            }
        }

        if (!definition.ChangeTrackingEnabled)
        {
            throw new ODataException(400, ErrorCodes.InvalidArgument,
                $"Change tracking is not enabled for entity '{definition.LogicalName}'. Enable ChangeTrackingEnabled on the table to use odata.track-changes.");
        }

        var projection = Projection.For(definition, query.Select);
        var pageSize = PageSize(preferences);
        ApplyPreferences(http, preferences, trackChanges: true, pageSize: preferences.MaxPageSize is null ? null : pageSize);
        if (query.DeltaToken is { } token)
        {
            await DeltaAsync(http, table, token, projection, preferences, cookie, pageSize, cancellationToken);
        }
        else
        {
            await InitialAsync(http, table, projection, preferences, cookie, pageSize, cancellationToken);
        }
    }

    private async Task InitialAsync(HttpContext http, TableData table, Projection projection, Preferences preferences, PagingCookie? cookie, int pageSize, CancellationToken cancellationToken)
    {
        var definition = table.Schema.Definition;
        var (snapshot, snapshotTime) = cookie?.Snapshot is { } s
            ? (s, DateTimeOffset.FromUnixTimeSeconds(cookie.SnapshotTime ?? 0))
            : (Store.CurrentVersion, service.Time.GetUtcNow());
        var view = Store.View(table);
        var range = cookie?.LastKey is { } last ? KeyRange.After(last) : KeyRange.All;
        var page = view.Rows(range).Take(pageSize + 1).ToList();
        var more = page.Count > pageSize;
        if (more)
        {
            page.RemoveAt(page.Count - 1);
        }

        await using var writer = JsonResponse.Start(http.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", service.MetadataContext(SetFragment(definition, projection)));
        await WriteRowsAsync(writer, http, view, page, projection, preferences, cancellationToken);
        if (more)
        {
            var next = new PagingCookie
            {
                PageNumber = (cookie?.PageNumber ?? 1) + 1,
                IsTracking = true,
                KeyAttribute = definition.PrimaryIdAttribute,
                LastKey = page[^1].Key,
                FirstKey = page[0].Key,
                Snapshot = snapshot,
                SnapshotTime = snapshotTime.ToUnixTimeSeconds(),
            };
            writer.WriteString("@odata.nextLink", SelectLink(definition, projection) + "$skiptoken=" + next.Encode());
        }
        else
        {
            var deltaToken = new DeltaToken(snapshot, snapshotTime);
            writer.WriteString("@odata.deltaLink", SelectLink(definition, projection) + "$deltatoken=" + deltaToken.Encode());
        }

        writer.WriteEndObject();
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
        SetRows(http, page.Count);
    }

    private async Task DeltaAsync(HttpContext http, TableData table, string tokenText, Projection projection, Preferences preferences, PagingCookie? cookie, int pageSize, CancellationToken cancellationToken)
    {
        var definition = table.Schema.Definition;
        var (since, token) = ValidateToken(table, tokenText);
        var (upTo, upToTime) = cookie?.Snapshot is { } s
            ? (s, DateTimeOffset.FromUnixTimeSeconds(cookie.SnapshotTime ?? 0))
            : (Store.CurrentVersion, service.Time.GetUtcNow());
        var offset = cookie?.Offset ?? 0;
        var delta = Store.ComputeDelta(table, since, upTo);
        var count = Math.Max(0, Math.Min(pageSize, delta.Items.Count - offset));
        var more = offset + count < delta.Items.Count;
        var view = Store.View(table);

        await using var writer = JsonResponse.Start(http.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", service.MetadataContext(SetFragment(definition, projection) + "/$delta"));
        if (!more)
        {
            writer.WriteString("@odata.deltaLink", SelectLink(definition, projection) + "$deltatoken=" + new DeltaToken(upTo, upToTime).Encode());
        }

        var layout = RowLayout.For(projection, view.Schema, preferences.Annotations);
        writer.WriteStartArray("value");
        var deletedContext = service.MetadataContext(definition.EntitySetName + "/$deletedEntity");
        for (var i = 0; i < count; i++)
        {
            var item = delta.Items[offset + i];
            if (item.IsDelete)
            {
                WriteDeleted(writer, deletedContext, item);
            }
            else
            {
                RowJsonWriter.Write(writer, Store, view, item.Row, layout);
            }

            if (i % JsonResponse.FlushEvery == JsonResponse.FlushEvery - 1)
            {
                await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
            }
        }

        writer.WriteEndArray();
        if (more)
        {
            var next = new PagingCookie
            {
                PageNumber = (cookie?.PageNumber ?? 1) + 1,
                IsTracking = true,
                KeyAttribute = definition.PrimaryIdAttribute,
                Snapshot = upTo,
                SnapshotTime = upToTime.ToUnixTimeSeconds(),
                Offset = offset + count,
            };
            writer.WriteString("@odata.nextLink",
                SelectLink(definition, projection) + "$deltatoken=" + token.Encode() + "&$skiptoken=" + next.Encode());
        }

        writer.WriteEndObject();
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
        SetRows(http, count);
    }

    private static void WriteDeleted(Utf8JsonWriter writer, string context, in DeltaItem item)
    {
        writer.WriteStartObject();
        writer.WriteString("@odata.context", context);
        writer.WriteString("id", item.Id);
        writer.WriteString("reason", "deleted");
        writer.WriteEndObject();
    }

    /// <summary>Checks a delta token: well-formed, issued by this organisation, and within retention.</summary>
    private (long Since, DeltaToken Token) ValidateToken(TableData table, string text)
    {
        if (!table.Schema.Definition.ChangeTrackingEnabled)
        {
            throw new ODataException(400, ErrorCodes.InvalidArgument,
                $"Change tracking is not enabled for entity '{table.LogicalName}'.");
        }

        var token = DeltaToken.Parse(text);
        if (token.Version > Store.CurrentVersion)
        {
            throw new ODataException(400, ErrorCodes.InvalidArgument, $"The delta token '{text}' was not issued by this organization.");
        }

        var now = service.Time.GetUtcNow();
        if (token.Version < Store.TrackingFloorOf(table) || token.IssuedAt < now - Store.ChangeRetention)
        {
            throw ErrorCodes.Expired();
        }

        return (token.Version, token);
    }

    private string SelectLink(EntityDefinition definition, Projection projection) =>
        service.ApiRoot + definition.EntitySetName + "?" + (projection.SelectText is { } select ? "$select=" + select + "&" : string.Empty);
}
