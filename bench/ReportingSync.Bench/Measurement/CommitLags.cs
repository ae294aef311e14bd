using Npgsql;
using ReportingSync.DataverseSimulator.ChangeTracking;

namespace ReportingSync.Bench.Measurement;

/// <summary>
/// Lag per change as analysts feel it: the target row's <c>SinkModifiedOn</c> (stamped at commit) minus the moment the
/// simulator made that version, for every generated change whose version reached a PostgreSQL target.
/// </summary>
internal static class CommitLags
{
    public static async Task<List<double>> ReadAsync(string database, IReadOnlyList<string> entities, IReadOnlyList<GeneratedChange> changes, DateTimeOffset since)
    {
        var committed = changes.ToDictionary(c => (c.Entity, c.Version), c => c.At);
        var lags = new List<double>();
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        foreach (var entity in entities)
        {
            await using var command = new NpgsqlCommand(
                $"""SELECT "versionnumber", "SinkModifiedOn" FROM public."{entity}" WHERE "SinkModifiedOn" >= @since""", connection);
            command.Parameters.AddWithValue("since", DateTime.SpecifyKind(since.UtcDateTime.AddSeconds(-1), DateTimeKind.Unspecified));
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                if (!reader.IsDBNull(0) && committed.TryGetValue((entity, reader.GetInt64(0)), out var at))
                {
                    var sink = DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc);
                    lags.Add((sink - at.UtcDateTime).TotalSeconds);
                }
            }
        }

        return lags;
    }
}
