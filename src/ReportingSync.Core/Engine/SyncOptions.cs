using ReportingSync.Model;

namespace ReportingSync.Engine;

/// <summary>Engine settings (section <c>ReportingSync</c>; Dataverse and Target have their own sections).</summary>
public sealed class SyncOptions
{
    public const string SectionName = "ReportingSync";

    /// <summary>Tables to replicate.</summary>
    public List<EntityOptions> Entities { get; set; } = [];

    /// <summary>
    /// A fixed interval between delta reads for every entity, instead of the adaptive one between
    /// <see cref="MinPollInterval"/> and <see cref="MaxPollInterval"/>. Unset by default.
    /// </summary>
    public TimeSpan? PollInterval { get; set; }

    /// <summary>
    /// The shortest time between an entity's delta reads: a read that finds n changes divides the interval by n (by 2 at
    /// least) down to this, and a hint brings it here at once. Default 1 second.
    /// </summary>
    public TimeSpan MinPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often an entity is polled at most slowly: each read that finds nothing doubles its interval up to this. Default 60 seconds.</summary>
    public TimeSpan MaxPollInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The interval an entity with changes polls at.</summary>
    public TimeSpan FastestPoll => PollInterval ?? MinPollInterval;

    /// <summary>The interval a quiet entity backs off to.</summary>
    public TimeSpan SlowestPoll => PollInterval ?? MaxPollInterval;

    /// <summary>
    /// Moved to <c>ReportingSync:Dataverse:RequestBudgetPerSecond</c>, which limits every request to Dataverse, not only
    /// polling. Kept only so that a configuration still setting it here fails at start with a message naming the new key
    /// instead of being ignored.
    /// </summary>
    public double? RequestBudgetPerSecond { get; set; }

    /// <summary>First retry delay after an entity fails; doubles per consecutive failure. Default 5 seconds.</summary>
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Cap of the failure backoff. Default 5 minutes.</summary>
    public TimeSpan MaxFailureBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many entities may run a cycle (seed or delta) at the same time. Default 4.</summary>
    public int MaxParallelEntities { get; set; } = 4;

    /// <summary>Target schema shape: Standard (DESIGN.md) or Des (Data Export Service compatible).</summary>
    public SchemaCompatibility Compatibility { get; set; } = SchemaCompatibility.Standard;

    /// <summary>Mark deleted rows with IsDeleted instead of removing them. Default false.</summary>
    public bool SoftDeletes { get; set; }

    /// <summary>Keep every version of every entity's rows in <c>&lt;table&gt;_history</c> (an entity may say otherwise). Default false.</summary>
    public bool History { get; set; }

    /// <summary>
    /// How long a closed history version (one with a <c>ValidToUtc</c>) is kept after it closed; unset keeps every
    /// version for ever. Pruned in small batches, so a long retention change never holds a long lock.
    /// </summary>
    public TimeSpan? HistoryRetention { get; set; }

    /// <summary>How schema drift is handled, unless an entity overrides it.</summary>
    public Drift.DriftPolicy Drift { get; set; } = new();

    /// <summary>
    /// Several replicas share one target by leasing entities: a replica works on an entity only while it holds the
    /// entity's lease, renews it with every page, and a replica that lost it cannot commit (fenced in the same
    /// transaction). A dead replica's entities are taken over once its leases expire.
    /// </summary>
    public bool Leases { get; set; } = true;

    /// <summary>How long a lease lasts without renewal; the longest a dead replica's entities wait for a new owner.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>This replica's name in leases and commands; default host name, process id and a random suffix.</summary>
    public string? WorkerId { get; set; }

    /// <summary>
    /// Key ranges a large table's first seed reads at once (ordinary filtered queries under the client's concurrency
    /// gate). Default 8; 1 reads every table sequentially with one change-tracking read.
    /// </summary>
    public int SeedPartitions { get; set; } = 8;

    /// <summary>Tables with at least this many rows (the source's estimate) are seeded in parallel. Default 100,000.</summary>
    public long ParallelSeedMinRows { get; set; } = 100_000;

    /// <summary>The default of <see cref="SeedMemoryBudgetMegabytes"/>.</summary>
    public const int DefaultSeedMemoryBudgetMegabytes = 96;

    /// <summary>
    /// Memory, in MB, that the pages of all parallel seeds may hold at once (answers being read and decoded, rows waiting
    /// for their commit). A lane whose next page would go over it waits, so a wide table reads fewer ranges at once rather
    /// than asking for smaller pages (no extra requests); a page larger than the whole budget still goes, alone.
    /// Default 96: a page of 400,000 cells (5,000 rows of 60 columns, 1,261 of the 317-column DQT contact) is ~16 MB of
    /// JSON and a few MB decoded, so about five pages are in flight at once instead of eight. At 128 the 8-lane contact
    /// seed peaked at 356 MB of RSS (519 MB without a budget).
    /// </summary>
    public int SeedMemoryBudgetMegabytes { get; set; } = DefaultSeedMemoryBudgetMegabytes;

    /// <summary>
    /// Secret key of the keyed SHA-256 (HMAC) that masked columns hold; required when any entity masks a column. Keep it
    /// in a secret store: whoever has it can test guesses against the hashes. Never logged.
    /// </summary>
    public string? MaskKey { get; set; }

    /// <summary>
    /// How often the metadata of every entity is checked for drift: one <c>RetrieveMetadataChanges</c> request for all of
    /// them, and a full re-read of the definition only for the tables it names as changed. Default 5 minutes.
    /// </summary>
    public TimeSpan MetadataRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    public Drift.DriftPolicy DriftPolicyFor(EntityOptions entity) => entity.Drift?.Over(Drift) ?? Drift;

    public LayoutOptions ToLayoutOptions() => new() { Compatibility = Compatibility, SoftDeletes = SoftDeletes };

    /// <summary>The layout options of one entity: the shared ones plus its own.</summary>
    public LayoutOptions ToLayoutOptions(EntityOptions entity) =>
        ToLayoutOptions() with { LabelView = entity.LabelView, History = entity.History ?? History, HistoryRetention = HistoryRetention };
}
