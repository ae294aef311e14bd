using System.Diagnostics;
using System.Diagnostics.Metrics;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// Counters of the Dataverse client on the meter <see cref="MeterName"/>, tagged <c>entity</c> (the logical name the
/// request was for). OpenTelemetry picks them up with <c>AddMeter("ReportingSync.Dataverse")</c>.
/// </summary>
internal sealed class DataverseMetrics : IDisposable
{
    public const string MeterName = "ReportingSync.Dataverse";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _requests;
    private readonly Counter<long> _throttles;
    private readonly Counter<double> _throttledTime;
    private readonly Counter<long> _retries;

    public DataverseMetrics(IMeterFactory? meterFactory, ServiceProtectionGate gate, RequestBudget budget, RecentRequests recent)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _requests = _meter.CreateCounter<long>(
            "reportingsync.dataverse.requests", "{request}", "HTTP requests sent to Dataverse (every attempt).");
        _throttles = _meter.CreateCounter<long>(
            "reportingsync.dataverse.throttles", "{response}", "HTTP 429 answers (service protection limits).");
        _throttledTime = _meter.CreateCounter<double>(
            "reportingsync.dataverse.throttled_time", "s", "Time all requests were paused because of HTTP 429.");
        _retries = _meter.CreateCounter<long>(
            "reportingsync.dataverse.retries", "{retry}", "Requests sent again after a fault, timeout or 429.");
        _meter.CreateObservableGauge(
            "reportingsync.dataverse.concurrency_window", () => gate.Window, "{request}", "Requests currently allowed in flight.");
        _meter.CreateObservableGauge(
            "reportingsync.dataverse.in_flight", () => gate.InFlight, "{request}", "Requests in flight.");
        _meter.CreateObservableGauge(
            "reportingsync.dataverse.request_budget", () => budget.PerSecond, "{request}/s",
            "Requests per second the client may send to Dataverse (ReportingSync:Dataverse:RequestBudgetPerSecond).");
        _meter.CreateObservableGauge(
            "reportingsync.dataverse.budget_used", () => recent.Count / (budget.PerSecond * RecentRequests.Window.TotalSeconds), "1",
            "Requests sent in the last 5 minutes as a share of the budget for 5 minutes (1 = all of it).");
        _meter.CreateObservableGauge(
            "reportingsync.dataverse.budget_waiting", () => ObserveWaiting(budget), "{request}",
            "Requests waiting for the request budget, by priority (streaming goes first).");
    }

    public Meter Meter => _meter;

    private static IEnumerable<Measurement<int>> ObserveWaiting(RequestBudget budget)
    {
        yield return new Measurement<int>(budget.Waiting(SourcePriority.Streaming), new KeyValuePair<string, object?>("priority", "streaming"));
        yield return new Measurement<int>(budget.Waiting(SourcePriority.Background), new KeyValuePair<string, object?>("priority", "background"));
    }

    /// <summary>One attempt; <paramref name="statusCode"/> is null when no answer came (connection failed, timeout).</summary>
    public void Request(string entity, int? statusCode)
    {
        var tags = new TagList { { "entity", entity } };
        if (statusCode is { } status)
        {
            tags.Add("http.response.status_code", status);
        }

        _requests.Add(1, tags);
    }

    public void Throttled(string entity, TimeSpan extension)
    {
        var tags = new TagList { { "entity", entity } };
        _throttles.Add(1, tags);
        if (extension > TimeSpan.Zero)
        {
            _throttledTime.Add(extension.TotalSeconds, tags);
        }
    }

    public void Retry(string entity, string reason) =>
        _retries.Add(1, new TagList { { "entity", entity }, { "reason", reason } });

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
