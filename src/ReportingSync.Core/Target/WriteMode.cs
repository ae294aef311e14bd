namespace ReportingSync.Target;

public enum WriteMode
{
    /// <summary>Stage the rows, then upsert guarded by versionnumber (deltas, non-empty tables).</summary>
    Upsert,

    /// <summary>
    /// Seeding: copy rows straight into the table (no staging). If a row's key already exists (a resumed or overlapping
    /// read), the target falls back to <see cref="Upsert"/> for that page, so the result is the same either way.
    /// </summary>
    BulkLoad,
}
