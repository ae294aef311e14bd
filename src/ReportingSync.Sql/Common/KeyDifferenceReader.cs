using System.Data.Common;
using System.Globalization;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// Reads what <see cref="ReconcileSql.Suspects"/> and <see cref="ReconcileSql.Counts"/> return, the same for every
/// dialect (each only builds and parameterises the commands).
/// </summary>
internal static class KeyDifferenceReader
{
    /// <summary>The suspect list: Id, Kind, SourceVersion, TargetVersion per row.</summary>
    public static async Task<List<ReconciliationFinding>> ReadSuspectsAsync(
        DbCommand command, Func<DbDataReader, Guid> readId, CancellationToken cancellationToken)
    {
        var suspects = new List<ReconciliationFinding>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            suspects.Add(new ReconciliationFinding(
                readId(reader), Enum.Parse<FindingKind>(reader.GetString(1)),
                reader.IsDBNull(2) ? null : Int64(reader, 2), reader.IsDBNull(3) ? null : Int64(reader, 3)));
        }

        return suspects;
    }

    /// <summary>
    /// Source and target row counts, then the count per kind: read from the database when the suspect list was cut at
    /// its limit, otherwise counted from the list itself (the same moment as the list).
    /// </summary>
    public static async Task<KeyDifferences> ReadCountsAsync(
        DbCommand command, List<ReconciliationFinding> suspects, CancellationToken cancellationToken)
    {
        long sourceRows, targetRows;
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            sourceRows = Int64(reader, 0);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            targetRows = Int64(reader, 0);
            if (!await reader.NextResultAsync(cancellationToken).ConfigureAwait(false))
            {
                foreach (var kind in suspects.GroupBy(f => f.Kind))
                {
                    counts[kind.Key.ToString()] = kind.Count();
                }
            }
            else
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    counts[reader.GetString(0)] = Int64(reader, 1);
                }
            }
        }

        return new KeyDifferences(
            sourceRows, targetRows, counts.GetValueOrDefault("Missing"), counts.GetValueOrDefault("Extra"), counts.GetValueOrDefault("Stale"), suspects);
    }

    // COUNT is int on SQL Server, bigint elsewhere.
    private static long Int64(DbDataReader reader, int ordinal) => Convert.ToInt64(reader.GetValue(ordinal), CultureInfo.InvariantCulture);
}
