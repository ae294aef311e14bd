namespace ReportingSync.Operations;

/// <summary>
/// The worker's HTTP side (<c>ReportingSync:Http</c>): health, readiness, status page, metrics. Everything has a safe
/// default, so a worker with no HTTP settings still answers on a loopback port the OS picks.
/// </summary>
internal sealed class OperationsOptions
{
    public const string SectionName = "ReportingSync:Http";

    /// <summary>TCP port on all interfaces; unset binds 127.0.0.1 on a free port (replicas on one machine never collide).</summary>
    public int? Port { get; set; }

    /// <summary>
    /// Key the re-seed button must send (header <c>X-Api-Key</c>). Unset (the default) turns re-seeds from HTTP off:
    /// the status page is read-only and the endpoint answers 403.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>How often the status monitor reads the state rows. Default 2 s.</summary>
    public TimeSpan StatusRefresh { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Row counts (<c>COUNT(*)</c>) are costly on big tables, so they are taken at most this often. Default 30 s.
    /// </summary>
    public TimeSpan RowCountRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a readiness answer is reused, so a busy prober cannot spend the Dataverse request budget. Default 5 s.</summary>
    public TimeSpan ReadinessCacheTime { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long each readiness check (target, source) may take before it counts as unreachable. Default 5 s.</summary>
    public TimeSpan ReadinessTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// OTLP endpoint for metrics and traces (<c>ReportingSync:Telemetry:OtlpEndpoint</c>, or the standard
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>). Unset: no OTLP export and no spans; <c>/metrics</c> still serves Prometheus text.
    /// </summary>
    public string? OtlpEndpoint { get; set; }

    public bool ReseedEnabled => !string.IsNullOrEmpty(ApiKey);
}
