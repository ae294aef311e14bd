using System.Data.Common;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>What an analyst's query returns: every row's values (NULL as null), from a raw connection the test opened.</summary>
internal static class RawQuery
{
    public static async Task<List<object?[]>> ReadAllAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }
}
