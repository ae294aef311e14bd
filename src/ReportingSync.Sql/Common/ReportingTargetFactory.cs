using Microsoft.Extensions.Logging;
using ReportingSync.Sql.PostgreSql;
using ReportingSync.Sql.Sqlite;
using ReportingSync.Sql.SqlServer;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>Picks the dialect. Each dialect folder has its own factory; this is the only place that knows them all.</summary>
internal static class ReportingTargetFactory
{
    /// <exception cref="TargetConfigurationException">The options cannot work (the same messages start-up validation gives).</exception>
    public static IReportingTarget Create(TargetOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        var errors = TargetOptionsValidator.Errors(options);
        if (errors.Count > 0)
        {
            throw new TargetConfigurationException(string.Join(" ", errors));
        }

        return options.Provider switch
        {
            TargetProvider.SqlServer => SqlServerTargetFactory.Create(options, time, loggers),
            TargetProvider.PostgreSql => PostgreSqlTargetFactory.Create(options, time, loggers),
            TargetProvider.Sqlite => SqliteTargetFactory.Create(options, time, loggers),
            _ => throw new TargetConfigurationException($"{TargetOptions.SectionName}:Provider {options.Provider} is not supported; use SqlServer, PostgreSql or Sqlite."),
        };
    }
}
