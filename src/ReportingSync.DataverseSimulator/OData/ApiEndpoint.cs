using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Metadata;
using ReportingSync.DataverseSimulator.Requests;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// Routes <c>/api/data/v9.2/…</c> from the raw request target (never a re-encoded URI), applies the configured page
/// latency, and turns refusals into Dataverse-shaped error bodies.
/// </summary>
internal sealed class ApiEndpoint(ServiceContext service)
{
    private readonly EntitySetEndpoint _entitySets = new(service);
    private readonly MetadataEndpoint _metadata = new(service);
    private readonly FunctionEndpoint _functions = new(service);
    private readonly GlobalOptionSetEndpoint _globalOptionSets = new(service);
    private readonly MetadataChangesEndpoint _metadataChanges = new(service);

    public async Task HandleAsync(HttpContext http)
    {
        var cancellationToken = http.RequestAborted;
        http.Response.Headers["x-ms-dop-hint"] = service.Options.DopHint.ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            if (!HttpMethods.IsGet(http.Request.Method))
            {
                throw new ODataException(405, ErrorCodes.ODataError,
                    $"The simulator serves reads only; {http.Request.Method} is not supported. Use the /admin API to change data.");
            }

            var rawTarget = http.Features.Get<IHttpRequestFeature>()?.RawTarget ?? http.Request.Path + http.Request.QueryString;
            var question = rawTarget.IndexOf('?', StringComparison.Ordinal);
            var path = Uri.UnescapeDataString((question < 0 ? rawTarget : rawTarget[..question])[RequestClassifier.ApiPrefix.Length..]);
            var query = QueryOptions.Parse(RawQuery.Parse(question < 0 ? null : rawTarget[(question + 1)..]));
            var segments = ApiSegment.ParsePath(path);
            if (segments.Count == 0)
            {
                throw ErrorCodes.SegmentNotFound(string.Empty);
            }

            if (service.Options.PageLatency > TimeSpan.Zero)
            {
                await Task.Delay(service.Options.PageLatency, service.Time, cancellationToken);
            }

            var first = segments[0];
            if (first.Name == "EntityDefinitions")
            {
                await _metadata.HandleAsync(http, segments, query, cancellationToken);
            }
            else if (first.Name == "GlobalOptionSetDefinitions" && segments.Count == 1)
            {
                await _globalOptionSets.HandleAsync(http, first, query, cancellationToken);
            }
            else if (first.Name == MetadataChangesEndpoint.Name && segments.Count == 1)
            {
                await _metadataChanges.HandleAsync(http, first, query, cancellationToken);
            }
            else if (FunctionEndpoint.Handles(first.Name))
            {
                await _functions.HandleAsync(http, first, query, cancellationToken);
            }
            else if (service.Store.FindTableBySet(first.Name) is { } table)
            {
                await _entitySets.HandleAsync(http, table, first, segments.Skip(1).ToList(), query, cancellationToken);
            }
            else
            {
                throw ErrorCodes.SegmentNotFound(first.Name);
            }
        }
        catch (ODataException error) when (!http.Response.HasStarted)
        {
            await JsonResponse.WriteErrorAsync(http.Response, error, cancellationToken);
        }
        catch (Exception error) when (error is not OperationCanceledException && !http.Response.HasStarted)
        {
            Log.RequestFailed(service.Logger, error, http.Request.Method, http.Request.Path);
            await JsonResponse.WriteErrorAsync(http.Response, "0x80040216", "An unexpected error occurred: " + error.Message, 500, cancellationToken);
        }
    }
}
