using System.Runtime.InteropServices;

namespace ReportingSync.Sql.Sqlite;

/// <summary>
/// The few SQLite calls a bulk write makes per cell, bound straight to the <c>e_sqlite3</c> library that
/// Microsoft.Data.Sqlite's bundle ships and has already loaded (the same library name its SQLitePCLRaw provider binds).
/// Why not SQLitePCLRaw's <c>raw.sqlite3_bind_*</c>: they take the statement as a SafeHandle, so every call adds and
/// releases a reference on it, and <c>sqlite3_bind_text</c> always asks SQLite for its own copy of the text
/// (SQLITE_TRANSIENT: a malloc, a copy and a free per text cell). A profile of a 1M-row x 60-column seed put about
/// 1.7 s of the SQLite writer thread there. The caller holds the SafeHandles for the duration and passes their pointers.
/// The bind calls skip the GC transition (<see cref="SuppressGCTransitionAttribute"/>): each only stores a value in the
/// prepared statement (at most copying a short text), never blocks or calls back, and there are 60 of them per row.
/// </summary>
internal static unsafe partial class SqliteNative
{
    private const string Library = "e_sqlite3";

    /// <summary>SQLITE_STATIC: the text stays where it is, unchanged, until the statement is stepped and reset.</summary>
    public static readonly IntPtr Static = IntPtr.Zero;

    /// <summary>SQLITE_TRANSIENT: SQLite copies the text before the call returns.</summary>
    public static readonly IntPtr Transient = new(-1);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial int sqlite3_bind_null(IntPtr statement, int index);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial int sqlite3_bind_int64(IntPtr statement, int index, long value);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial int sqlite3_bind_double(IntPtr statement, int index, double value);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial int sqlite3_bind_text(IntPtr statement, int index, byte* utf8, int length, IntPtr destructor);

    [LibraryImport(Library)]
    public static partial int sqlite3_step(IntPtr statement);

    [LibraryImport(Library)]
    public static partial int sqlite3_reset(IntPtr statement);

    [LibraryImport(Library)]
    [SuppressGCTransition]
    public static partial int sqlite3_changes(IntPtr db);
}
