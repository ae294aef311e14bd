using System.Diagnostics;
using System.Diagnostics.Metrics;

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

    public DataverseMetrics(IMeterFactory? meterFactory, ServiceProtectionGate gate)
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
    }

    public Meter Meter => _meter;

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
