using System.Data.Common;
using Npgsql;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>Connections from one pooled <see cref="NpgsqlDataSource"/>: each call takes its own, so entities commit in parallel.</summary>
internal sealed class PostgreSqlConnections(NpgsqlDataSource dataSource) : ConnectionSource
{
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public override ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
