using Microsoft.Data.Sqlite;
using ReportingSync.Engine;

namespace ReportingSync.Demo;

/// <summary>
/// Each demo starts from a clean database. Its simulator is a new in-memory organisation every time, so the rows and
/// change tokens a previous demo left in the file describe data that no longer exists: streaming on from them would
/// leave the replica different from the source. A previous demo's file is removed (and the user told so); any other
/// file at that path is left alone and the demo refuses to start.
/// </summary>
internal static class DemoDatabase
{
    /// <summary>The state table every ReportingSync SQLite database has (state tables carry a prefix in SQLite).</summary>
    private const string StateTable = "reportingsync_EntityState";

    public static async Task StartCleanAsync(FileInfo database, TextWriter output, CancellationToken cancellationToken)
    {
        database.Refresh();
        if (!database.Exists)
        {
            return;
        }

        if (!await IsReplicaAsync(database, cancellationToken).ConfigureAwait(false))
        {
            throw new StartupException([
                $"--database '{database.FullName}' exists and is not a ReportingSync database; the demo starts from a clean " +
                "database and will not overwrite it. Choose another file (or remove this one)."]);
        }

        foreach (var file in new[] { database.FullName, database.FullName + "-wal", database.FullName + "-shm", database.FullName + "-journal" })
        {
            File.Delete(file);
        }

        await output.WriteLineAsync($"Starting from a clean database: removed the previous demo's {database.Name}.").ConfigureAwait(false);
    }

    private static async Task<bool> IsReplicaAsync(FileInfo database, CancellationToken cancellationToken)
    {
        try
        {
            var connectionString = new SqliteConnectionStringBuilder { DataSource = database.FullName, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
            await using var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $name;";
            command.Parameters.AddWithValue("$name", StateTable);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) > 0;
        }
        catch (SqliteException)
        {
            // Not a SQLite file at all.
            return false;
        }
    }
}
