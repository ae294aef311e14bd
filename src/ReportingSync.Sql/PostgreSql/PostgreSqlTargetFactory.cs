using Microsoft.Extensions.Logging;
using Npgsql;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>Builds the PostgreSQL target from validated options (the registration extension calls it).</summary>
internal static class PostgreSqlTargetFactory
{
    public static PostgreSqlTarget Create(TargetOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var builder = PostgreSqlConnectionString.Parse(options.ConnectionString ?? "");

        // Lets DBAs tell our sessions apart in pg_stat_activity, unless the connection string says otherwise.
        builder.ApplicationName ??= "ReportingSync";
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).UseLoggerFactory(loggers).Build();
        return new PostgreSqlTarget(
            dataSource,
            new PostgreSqlSchemaWriter(options.EffectiveSchema, options.StateSchema, options.LabelLanguageCode),
            time,
            loggers.CreateLogger(typeof(PostgreSqlTarget).FullName!),
            PostgreSqlConnectionString.Describe(builder),
            builder.Password,
            options.LabelViews);
    }
}
