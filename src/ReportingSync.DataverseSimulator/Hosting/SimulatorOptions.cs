using ReportingSync.DataverseSimulator.Faults;
using ReportingSync.DataverseSimulator.Hints;

namespace ReportingSync.DataverseSimulator.Hosting;

/// <summary>Settings of a simulated Dataverse organisation. Every default is the documented one.</summary>
internal sealed class SimulatorOptions
{
    /// <summary>Seed of all generated data and of seeded fault randomness. Default 42.</summary>
    public int Seed { get; set; } = 42;

    /// <summary>
    /// Generated rows per table, by logical name. Tables not listed get <see cref="DefaultRowCounts"/>' value, else a
    /// small deterministic count between 5 and 50.
    /// </summary>
    public Dictionary<string, int> RowCounts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The reference tables to serve (logical names); null serves all 55.</summary>
    public IReadOnlyCollection<string>? Entities { get; set; }

    /// <summary>Largest page a client can get (and the default page size). Default 5000, like the real service.</summary>
    public int MaxPageSize { get; set; } = 5000;

    /// <summary>How long delta tokens stay valid (organisation setting ExpireChangeTrackingInDays). Default 7 days.</summary>
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// <c>Organization.PricingDecimalPrecision</c>: decimal places of money attributes whose PrecisionSource is 1. Default 2.
    /// </summary>
    public int PricingDecimalPrecision { get; set; } = 2;

    /// <summary>
    /// <c>TransactionCurrency.CurrencyPrecision</c> of every simulated currency: decimal places of money attributes whose
    /// PrecisionSource is 2 (the default source). Default 4, the most Dataverse allows, so generated money carries
    /// values such as 92.3865 that a replica storing money at the attribute's Precision (2) would round.
    /// </summary>
    public int CurrencyPrecision { get; set; } = 4;

    /// <summary>
    /// How long a <c>RetrieveMetadataChanges</c> ServerVersionStamp stays usable (Organization.ExpireSubscriptionsInDays);
    /// older stamps fail with ExpiredVersionStamp 0x80044352. Default 90 days.
    /// </summary>
    public TimeSpan MetadataStampRetention { get; set; } = TimeSpan.FromDays(90);

    /// <summary>Delay added before every data and metadata response. Default none.</summary>
    public TimeSpan PageLatency { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Delay per cell (row x selected column) of each page of an initial tracked read or a query, on top of
    /// <see cref="PageLatency"/>. Models a service whose pages cost time in proportion to what they carry: a keys-only
    /// page of 5000 ids is quick, 5000 wide rows are not (published: ~1,650 rows/s for sequential pages of wide rows,
    /// which is ~10 µs per cell at 60 columns). Default none.
    /// </summary>
    public TimeSpan CellLatency { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// Delay per row of each page of an initial tracked read or a query, whatever its width, on top of the other two:
    /// the demo's way to let a small seed run as long as a distant service would serve it. Default none.
    /// </summary>
    public TimeSpan RowLatency { get; set; } = TimeSpan.Zero;

    /// <summary>Service-protection limits; all off by default.</summary>
    public ServiceProtectionOptions Limits { get; set; } = new();

    /// <summary>Value of the <c>x-ms-dop-hint</c> response header (recommended degree of parallelism). Default 4.</summary>
    public int DopHint { get; set; } = 4;

    /// <summary>The simulator clock: row timestamps, token times, retention, limits, request log. Default system time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Loopback port to listen on; 0 picks a free one. Default 0.</summary>
    public int Port { get; set; }

    /// <summary>Fault rules in force from the start (more can be added through <c>SimulatorHost.Faults</c>). Default none.</summary>
    public List<FaultRule> FaultRules { get; set; } = [];

    /// <summary>Push notifications (webhook) for every change. Default off.</summary>
    public SimulatorHintOptions Hints { get; set; } = new();

    /// <summary>
    /// The organisation's id, as <c>WhoAmI</c> returns it (and push hints carry it). Default null: derived from
    /// <see cref="Seed"/>, so every simulator with the same seed is "the same organisation" whatever its port, as an
    /// environment keeps its id when its URL is renamed. Set another id to play a different organisation.
    /// </summary>
    public Guid? OrganizationId { get; set; }

    /// <summary>Log HTTP requests to the console (standalone runs). Default false.</summary>
    public bool ConsoleLogging { get; set; }

    /// <summary>Default counts for the DQT tables that matter for load (contact and its history tables).</summary>
    public static IReadOnlyDictionary<string, int> DefaultRowCounts { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["contact"] = 20_000,
        ["account"] = 200,
        ["dfeta_qtsregistration"] = 24_000,
        ["dfeta_induction"] = 22_000,
        ["dfeta_initialteachertraining"] = 30_000,
        ["dfeta_qualification"] = 36_000,
        ["dfeta_sanction"] = 2_000,
        ["systemuser"] = 25,
        ["transactioncurrency"] = 5,
    };

    /// <summary>Checks the options, throwing <see cref="ArgumentException"/> with the first problem found.</summary>
    public void Validate()
    {
        Require(MaxPageSize is >= 1 and <= 5000, $"MaxPageSize must be between 1 and 5000 (the service's maximum); it is {MaxPageSize}.");
        Require(ChangeRetention > TimeSpan.Zero, $"ChangeRetention must be positive; it is {ChangeRetention}.");
        Require(MetadataStampRetention > TimeSpan.Zero, $"MetadataStampRetention must be positive; it is {MetadataStampRetention}.");
        Require(PageLatency >= TimeSpan.Zero, $"PageLatency cannot be negative; it is {PageLatency}.");
        Require(CellLatency >= TimeSpan.Zero, $"CellLatency cannot be negative; it is {CellLatency}.");
        Require(RowLatency >= TimeSpan.Zero, $"RowLatency cannot be negative; it is {RowLatency}.");
        Require(Port is >= 0 and <= 65535, $"Port must be between 0 and 65535; it is {Port}.");
        Require(DopHint >= 1, $"DopHint must be at least 1; it is {DopHint}.");
        Require(PricingDecimalPrecision is >= 0 and <= 4, $"PricingDecimalPrecision must be between 0 and 4; it is {PricingDecimalPrecision}.");
        Require(CurrencyPrecision is >= 0 and <= 4, $"CurrencyPrecision must be between 0 and 4; it is {CurrencyPrecision}.");
        Require(OrganizationId != Guid.Empty, "OrganizationId cannot be the empty GUID; leave it null for the id derived from Seed.");
        Require(Limits.RequestsPerWindow is null or > 0, $"Limits.RequestsPerWindow must be positive when set; it is {Limits.RequestsPerWindow}.");
        Require(Limits.MaxConcurrency is null or > 0, $"Limits.MaxConcurrency must be positive when set; it is {Limits.MaxConcurrency}.");
        Require(Limits.Window > TimeSpan.Zero, $"Limits.Window must be positive; it is {Limits.Window}.");
        Hints.Validate();
        foreach (var (entity, count) in RowCounts)
        {
            Require(count >= 0, $"RowCounts[{entity}] cannot be negative; it is {count}.");
        }
    }

    public int RowCountFor(string entity)
    {
        if (RowCounts.TryGetValue(entity, out var count) || DefaultRowCounts.TryGetValue(entity, out count))
        {
            return count;
        }

        return 5 + (int)(Generation.StableHash.Of(entity) % 46);
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new ArgumentException(message);
        }
    }
}
