using Microsoft.Data.Sqlite;
using ReportingSync.Target;

namespace ReportingSync.Sql.Sqlite;

/// <summary>Turns SQLite errors about the database file itself into <see cref="TargetUnavailableException"/>.</summary>
internal static class SqliteErrors
{
    /// <summary>SQLITE_CONSTRAINT_PRIMARYKEY: a bulk-loaded id already exists.</summary>
    public const int PrimaryKeyViolation = 1555;

    public static TargetException? Translate(Exception exception, string endpoint)
    {
        if (exception is not SqliteException sqlite)
        {
            return null;
        }

        var (transient, what) = sqlite.SqliteErrorCode switch
        {
            5 or 6 => (true, "the database file is locked by another writer"),
            10 => (true, "a disk I/O error occurred"),
            13 => (true, "the disk is full"),
            14 => (false, "the database file cannot be opened (does its folder exist?)"),
            3 or 8 or 23 => (false, "the database file is not writable by this process"),
            11 or 26 => (false, "the file is not a SQLite database or is corrupt"),
            _ => (false, (string?)null),
        };
        return what is null
            ? null
            : new TargetUnavailableException($"The reporting database ({endpoint}) is unavailable: {what} ({sqlite.SqliteErrorCode}: {sqlite.Message})", sqlite, transient);
    }
}
