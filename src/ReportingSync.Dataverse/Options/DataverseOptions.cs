using System.ComponentModel.DataAnnotations;

namespace ReportingSync.Dataverse;

/// <summary>
/// Settings of the Dataverse Web API client, bound from <see cref="SectionName"/>. Single-field rules are
/// DataAnnotations; rules across fields live in <see cref="DataverseOptionsValidator"/>. Messages name the full key.
/// </summary>
public sealed class DataverseOptions
{
    /// <summary>The configuration section these options are bound from; error messages name keys under it.</summary>
    public const string SectionName = "ReportingSync:Dataverse";

    /// <summary>The organisation URL, e.g. <c>https://contoso.crm.dynamics.com</c>. Required; absolute http/https.</summary>
    [Required(ErrorMessage = SectionName + ":Url is required: the organisation URL, e.g. https://contoso.crm.dynamics.com.")]
    public string? Url { get; set; }

    /// <summary>Web API version segment. Default <c>v9.2</c>.</summary>
    [RegularExpression(@"^v[0-9]+\.[0-9]+$", ErrorMessage = SectionName + ":ApiVersion must look like v9.2.")]
    public string ApiVersion { get; set; } = "v9.2";

    public DataverseAuthOptions Auth { get; set; } = new();

    /// <summary>Rows per page (<c>Prefer: odata.maxpagesize</c>). Default 5000, Dataverse's maximum.</summary>
    [SettingRange(1, 5000, ErrorMessage = SectionName + ":PageSize must be between 1 and 5000 (Dataverse's maximum page size).")]
    public int PageSize { get; set; } = 5000;

    /// <summary>
    /// Requests in flight at once across all entities. Default 8; at most 52, Dataverse's concurrent-request limit
    /// per user. An <c>x-ms-dop-hint</c> response header lowers it further when smaller.
    /// </summary>
    [SettingRange(1, 52, ErrorMessage = SectionName + ":MaxConcurrency must be between 1 and 52 (Dataverse allows 52 concurrent requests per user).")]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>
    /// The most requests per second the client sends, every kind together: delta reads, metadata, seeds, reconciliation,
    /// WhoAmI and retries. Default 10, half of Dataverse's service-protection limit of 6,000 requests per 5 minutes per
    /// user, which other integrations of the same application user share. Delta reads go first; seeds and reconciliation
    /// wait while any delta read waits. With several replicas each has this budget: divide it between them.
    /// </summary>
    /// <remarks>Checked by <see cref="DataverseOptionsValidator"/>, whose message quotes the value given.</remarks>
    public double RequestBudgetPerSecond { get; set; } = 10;

    /// <summary>Time allowed for one attempt: sending, waiting and reading the whole body. Default 100 s.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:01", "00:30:00", ErrorMessage = SectionName + ":RequestTimeout must be between 00:00:01 and 00:30:00.")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Time allowed to open a TCP/TLS connection, so an unreachable host fails fast. Default 15 s.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00.1", "00:05:00", ErrorMessage = SectionName + ":ConnectTimeout must be between 00:00:00.1 and 00:05:00.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Retries after transport faults, timeouts and HTTP 500/502/503/504 (exponential back-off with jitter). Default 6.
    /// Throttling (HTTP 429) has its own budget, <see cref="MaxThrottleRetries"/>.
    /// </summary>
    [SettingRange(0, 20, ErrorMessage = SectionName + ":MaxRetries must be between 0 and 20.")]
    public int MaxRetries { get; set; } = 6;

    /// <summary>
    /// How often one request may be throttled (HTTP 429) and sent again after the pause Dataverse asks for. Default 20.
    /// When used up the request fails with SourceUnavailableException; it never gives up silently.
    /// </summary>
    [SettingRange(0, 1000, ErrorMessage = SectionName + ":MaxThrottleRetries must be between 0 and 1000.")]
    public int MaxThrottleRetries { get; set; } = 20;

    /// <summary>Median delay before the first retry; doubles per retry. Also the first pause after a 429 without Retry-After. Default 1 s.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = SectionName + ":RetryBaseDelay must be between 00:00:00 and 00:10:00.")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest delay between retries, and longest pause after a 429 without Retry-After. Default 30 s.</summary>
    [SettingRange(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = SectionName + ":RetryMaxDelay must be between 00:00:00 and 01:00:00.")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Shows every setting but the client secret, so options can be logged safely.</summary>
    public override string ToString() =>
        $"Url={Url}, ApiVersion={ApiVersion}, Auth={{{Auth}}}, PageSize={PageSize}, MaxConcurrency={MaxConcurrency}, " +
        $"RequestBudgetPerSecond={RequestBudgetPerSecond}, " +
        $"RequestTimeout={RequestTimeout}, ConnectTimeout={ConnectTimeout}, MaxRetries={MaxRetries}, " +
        $"MaxThrottleRetries={MaxThrottleRetries}, RetryBaseDelay={RetryBaseDelay}, RetryMaxDelay={RetryMaxDelay}";
}
