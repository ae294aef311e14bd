using Microsoft.Data.Sqlite;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>A SQLite file in its own temp folder, deleted on dispose; with a tiny query helper for assertions.</summary>
internal sealed class SqliteDatabase : IAsyncDisposable
{
    private readonly TempDirectory _folder = new("reportingsync-sqlite-");

    private SqliteDatabase()
    {
        ConnectionString = $"Data Source={_folder.File("replica.db")};Pooling=False";
    }

    public string ConnectionString { get; }

    public static Task<SqliteDatabase> CreateAsync() => Task.FromResult(new SqliteDatabase());

    /// <summary>The first column of every row, as text.</summary>
    public async Task<IReadOnlyList<string?>> QueryAsync(string sql)
    {
        await using var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string?>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.IsDBNull(0) ? null : reader.GetValue(0).ToString());
        }

        return values;
    }

    public ValueTask DisposeAsync()
    {
        _folder.Dispose();
        return ValueTask.CompletedTask;
    }
}
