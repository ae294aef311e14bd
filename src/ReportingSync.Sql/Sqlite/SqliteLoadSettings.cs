using Microsoft.Data.Sqlite;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// The writer connection's settings for the two kinds of page it commits: bulk loads (seeds into an empty table) and
/// guarded upserts (streaming). A seed inserts a million random GUIDs into the primary key's index: with SQLite's
/// default 2 MB page cache nearly every insert missed the cache and read the index page back from the file, and the
/// kernel time of those reads was more than half the seed's CPU. During bulk loads the cache holds
/// <see cref="BulkCacheKiB"/> (the key index of a million rows is about 50 MB) and the WAL is checkpointed every
/// <see cref="BulkCheckpointPages"/> pages instead of 1,000: every page commit rewrites the key-index pages its random
/// GUIDs landed on, and each checkpoint copies all of them into the database again, so fewer checkpoints copy far
/// less (1M x 60 columns: 41,900 rows/s at 100,000 pages, 31,900 at 10,000). The WAL file may grow to about 400 MB
/// during a seed, and bulk loads leave it at that size between checkpoints (cutting it back made every checkpoint
/// regrow the file: 33,000 rows/s and 36 s of CPU instead of 41,900 and 28 s). An upsert puts the defaults back, so a
/// streaming worker holds no more memory than before, and sets journal_size_limit (<see cref="WalSizeLimitBytes"/>),
/// so the next checkpoint cuts the WAL back instead of keeping it at its largest for good.
/// <para>
/// Durability is not traded: journal_mode stays WAL and synchronous NORMAL for both, the settings that already skip
/// the fsync per commit. Each page still commits atomically with its cursor, so a worker killed mid-seed resumes from
/// its last committed page, and a power cut can lose the last commits (data and cursor together), never corrupt the
/// file. synchronous = OFF would have saved little more (checkpoints only) at the price of a file that a power cut
/// during a checkpoint may corrupt; journal_mode = OFF or MEMORY would let a crash mid-page corrupt it.
/// These are connection settings, nothing persists in the file.
/// </para>
/// </summary>
internal static class SqliteLoadSettings
{
    /// <summary>Page cache during bulk loads, KiB (SQLite's own default is 2,000).</summary>
    internal const int BulkCacheKiB = 64 * 1024;

    /// <summary>WAL pages between automatic checkpoints during bulk loads (SQLite's default is 1,000).</summary>
    internal const int BulkCheckpointPages = 100_000;

    /// <summary>What the WAL file is cut back to after a checkpoint resets it while streaming (SQLite's default: never cut).</summary>
    internal const long WalSizeLimitBytes = 64L * 1024 * 1024;

    private const int DefaultCacheKiB = 2_000;
    private const int DefaultCheckpointPages = 1_000;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SqliteConnection, object> BulkConnections = [];

    /// <summary>Before a bulk load: the large cache and rare checkpoints (once per connection until an upsert).</summary>
    public static void ForBulkLoad(SqliteConnection connection, SqliteTransaction transaction)
    {
        if (BulkConnections.TryAdd(connection, new object()))
        {
            Apply(connection, transaction, BulkCacheKiB, BulkCheckpointPages, walSizeLimit: -1);
        }
    }

    /// <summary>Before a guarded upsert: SQLite's defaults again.</summary>
    public static void ForStreaming(SqliteConnection connection, SqliteTransaction transaction)
    {
        if (BulkConnections.Remove(connection))
        {
            Apply(connection, transaction, DefaultCacheKiB, DefaultCheckpointPages, WalSizeLimitBytes);
        }
    }

    private static void Apply(SqliteConnection connection, SqliteTransaction transaction, int cacheKiB, int checkpointPages, long walSizeLimit)
    {
        using var command = new SqliteCommand(
            string.Create(
                System.Globalization.CultureInfo.InvariantCulture,
                $"PRAGMA cache_size = -{cacheKiB}; PRAGMA wal_autocheckpoint = {checkpointPages}; PRAGMA journal_size_limit = {walSizeLimit};"), connection, transaction);
        command.ExecuteNonQuery();
    }
}
