using Microsoft.Extensions.Logging;

namespace ReportingSync.Sql.Sqlite;

/// <summary>Builds the SQLite target from validated options (the registration extension calls it).</summary>
internal static class SqliteTargetFactory
{
    public static SqliteTarget Create(TargetOptions options, TimeProvider time, ILoggerFactory loggers) =>
        new(
            SqliteConnectionString.Parse(options.ConnectionString ?? ""),
            new SqliteSchemaWriter(options.StateSchema, options.LabelLanguageCode),
            time,
            loggers.CreateLogger(typeof(SqliteTarget).FullName!),
            options.LabelViews);
}
