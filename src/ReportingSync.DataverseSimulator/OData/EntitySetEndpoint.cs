using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// Reads of an entity set: <c>GET {set}</c> (query, change-tracking initial read, delta read),
/// <c>GET {set}(id)</c>, <c>GET {set}/$count</c>.
/// </summary>
internal sealed partial class EntitySetEndpoint(ServiceContext service)
{
    private const int CountLimit = 5000;

    private SimulatorStore Store => service.Store;

    public async Task HandleAsync(HttpContext http, TableData table, ApiSegment set, IReadOnlyList<ApiSegment> rest, QueryOptions query, CancellationToken cancellationToken)
    {
        var preferences = Preferences.Parse(http.Request.Headers["Prefer"]);
        if (set.Key is not null)
        {
            if (rest.Count > 0)
            {
                throw ErrorCodes.SegmentNotFound(rest[0].Name);
            }

            await SingleAsync(http, table, set.Key, query, preferences, cancellationToken);
            return;
        }

        if (rest.Count == 1 && rest[0].Name == "$count")
        {
            await CountAsync(http, table, query, cancellationToken);
            return;
        }

        if (rest.Count > 0)
        {
            throw ErrorCodes.SegmentNotFound(rest[0].Name);
        }

        var definition = table.Schema.Definition;
        var cookie = query.SkipToken is { } token ? PagingCookie.Decode(token, definition.PrimaryIdAttribute) : null;
        if (query.DeltaToken is not null || preferences.TrackChanges || cookie?.IsTracking == true)
        {
            await TrackedReadAsync(http, table, query, preferences, cookie, cancellationToken);
        }
        else
        {
            await QueryAsync(http, table, query, preferences, cookie, cancellationToken);
        }
    }

    private async Task SingleAsync(HttpContext http, TableData table, string key, QueryOptions query, Preferences preferences, CancellationToken cancellationToken)
    {
        var definition = table.Schema.Definition;
        var idText = key.StartsWith(definition.PrimaryIdAttribute + "=", StringComparison.Ordinal) ? key[(definition.PrimaryIdAttribute.Length + 1)..] : key;
        if (!Guid.TryParse(idText, out var id))
        {
            throw ErrorCodes.BadRequest($"Bad Request - Error in query syntax: '{key}' is not a valid key.");
        }

        var projection = Projection.For(definition, query.Select);
        var view = Store.View(table);
        var row = table.Find(SqlGuidOrder.ToKey(id))
            ?? throw new ODataException(404, ErrorCodes.ObjectDoesNotExist, $"{definition.LogicalName} With Id = {id} Does Not Exist");

        ApplyPreferences(http, preferences, trackChanges: false, pageSize: null);
        await using var writer = JsonResponse.Start(http.Response);
        RowJsonWriter.Write(writer, Store, view, row, RowLayout.For(projection, view.Schema, preferences.Annotations),
            service.MetadataContext(SetFragment(definition, projection) + "/$entity"));
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
        SetRows(http, 1);
    }

    private async Task CountAsync(HttpContext http, TableData table, QueryOptions query, CancellationToken cancellationToken)
    {
        long count;
        if (query.DeltaToken is { } token)
        {
            var (since, _) = ValidateToken(table, token);
            count = Store.ComputeDelta(table, since, Store.CurrentVersion).Items.Count;
        }
        else
        {
            var filter = BindFilter(table.Schema.Definition, query.Filter);
            var view = Store.View(table);
            count = Math.Min(CountLimit, view.Rows(KeyRange.All).Where(r => Matches(view, r, filter)).Take(CountLimit + 1).Count());
        }

        http.Response.StatusCode = 200;
        http.Response.ContentType = "text/plain; charset=utf-8";
        http.Response.Headers["OData-Version"] = "4.0";
        await http.Response.WriteAsync(count.ToString(CultureInfo.InvariantCulture), Encoding.UTF8, cancellationToken);
    }

    private static void ApplyPreferences(HttpContext http, Preferences preferences, bool trackChanges, int? pageSize)
    {
        if (preferences.Applied(trackChanges, pageSize) is { } applied)
        {
            http.Response.Headers["Preference-Applied"] = applied;
        }
    }

    private int PageSize(Preferences preferences) =>
        Math.Clamp(preferences.MaxPageSize ?? service.Options.MaxPageSize, 1, service.Options.MaxPageSize);

    private static string SetFragment(EntityDefinition definition, Projection projection) =>
        projection.SelectText is { } select ? $"{definition.EntitySetName}({select})" : definition.EntitySetName;

    private static void SetRows(HttpContext http, int rows)
    {
        if (http.Features.Get<RequestContext>() is { } context)
        {
            context.RowsReturned = rows;
        }
    }
}
