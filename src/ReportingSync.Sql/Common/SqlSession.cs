using System.Data.Common;

namespace ReportingSync.Sql;

/// <summary>A connection and its current transaction (if any), with the few helpers every statement here needs.</summary>
internal sealed class SqlSession(DbConnection connection, DbTransaction? transaction)
{
    public DbConnection Connection { get; } = connection;

    public DbTransaction? Transaction { get; } = transaction;

    public DbCommand Command(string sql, params IEnumerable<DbParameter> parameters)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = Transaction;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(parameter);
        }

        return command;
    }

    public async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params IEnumerable<DbParameter> parameters)
    {
        await using var command = Command(sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<object?> ScalarAsync(string sql, CancellationToken cancellationToken, params IEnumerable<DbParameter> parameters)
    {
        await using var command = Command(sql, parameters);
        var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return value is DBNull ? null : value;
    }

    /// <summary>Reads every row of <paramref name="command"/> with <paramref name="read"/>.</summary>
    public static async Task<List<T>> ReadAllAsync<T>(DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        var result = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            result.Add(read(reader));
        }

        return result;
    }
}
