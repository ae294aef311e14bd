using Microsoft.Extensions.Logging;

namespace ReportingSync.Sql.SqlServer;

/// <summary>Builds the SQL Server target from validated options (the registration extension calls it).</summary>
internal static class SqlServerTargetFactory
{
    public static SqlServerTarget Create(TargetOptions options, TimeProvider time, ILoggerFactory loggers, SqlServerAccessTokenProvider? accessToken)
    {
        var (builder, useToken) = SqlServerConnectionString.Plan(options.ConnectionString ?? "", accessToken is not null);

        // Lets DBAs tell our sessions apart in sys.dm_exec_sessions, unless the connection string says otherwise.
        if (string.IsNullOrEmpty(builder.ApplicationName) || builder.ApplicationName == new Microsoft.Data.SqlClient.SqlConnectionStringBuilder().ApplicationName)
        {
            builder.ApplicationName = "ReportingSync";
        }

        return new SqlServerTarget(
            builder.ConnectionString,
            useToken ? accessToken : null,
            new SqlServerSchemaWriter(options.EffectiveSchema, options.StateSchema, options.LabelLanguageCode),
            time,
            loggers.CreateLogger(typeof(SqlServerTarget).FullName!),
            SqlServerConnectionString.Describe(builder),
            string.IsNullOrEmpty(builder.Password) ? null : builder.Password,
            options.LabelViews);
    }
}
