using Microsoft.Extensions.Logging;

namespace ReportingSync.Sql.Sqlite;

/// <summary>Builds the SQLite target from validated options (the registration extension calls it).</summary>
internal static class SqliteTargetFactory
{
    public static SqlTarget Create(TargetOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var builder = SqliteConnectionString.Parse(options.ConnectionString ?? "");
        return new SqlTarget(
            new SqliteDialect(options.StateSchema, SqliteConnectionString.Describe(builder)),
            new SqliteConnections(builder),
            time,
            loggers.CreateLogger("ReportingSync.Sql.Sqlite.SqliteTarget"),
            options.LabelLanguageCode,
            options.LabelViews);
    }
}
