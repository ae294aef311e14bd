using Microsoft.Extensions.Logging;
using Npgsql;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>Builds the PostgreSQL target from validated options (the registration extension calls it).</summary>
internal static class PostgreSqlTargetFactory
{
    public static SqlTarget Create(TargetOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var builder = PostgreSqlConnectionString.Parse(options.ConnectionString ?? "");

        // Lets DBAs tell our sessions apart in pg_stat_activity, unless the connection string says otherwise.
        builder.ApplicationName ??= "ReportingSync";

        // The commit's statements repeat with every page: let Npgsql prepare them on each pooled connection.
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).UseLoggerFactory(loggers).Build();
        return new SqlTarget(
            new PostgreSqlDialect(options.EffectiveSchema, options.StateSchema, PostgreSqlConnectionString.Describe(builder), builder.Password),
            new PostgreSqlConnections(dataSource),
            time,
            loggers.CreateLogger("ReportingSync.Sql.PostgreSql.PostgreSqlTarget"),
            options.LabelLanguageCode,
            options.LabelViews);
    }
}
