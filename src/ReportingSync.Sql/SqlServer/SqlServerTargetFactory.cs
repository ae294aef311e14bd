using System.Globalization;
using Microsoft.Extensions.Logging;

namespace ReportingSync.Sql.SqlServer;

/// <summary>Builds the SQL Server target from validated options (the registration extension calls it).</summary>
internal static class SqlServerTargetFactory
{
    public const string InvariantGlobalizationError =
        "The SqlServer target cannot run in globalization-invariant mode: Microsoft.Data.SqlClient does not support it " +
        "(dotnet/SqlClient#2239; it fails to open any connection). Build the executable with InvariantGlobalization=false " +
        "and install ICU (libicu) in its container image.";

    /// <exception cref="TargetConfigurationException">The process runs in globalization-invariant mode, or the connection string cannot work.</exception>
    public static SqlTarget Create(TargetOptions options, TimeProvider time, ILoggerFactory loggers)
    {
        if (IsGlobalizationInvariant())
        {
            throw new TargetConfigurationException(InvariantGlobalizationError);
        }

        var builder = SqlServerConnectionString.Plan(options.ConnectionString ?? "");

        // Lets DBAs tell our sessions apart in sys.dm_exec_sessions, unless the connection string says otherwise.
        if (string.IsNullOrEmpty(builder.ApplicationName) || builder.ApplicationName == new Microsoft.Data.SqlClient.SqlConnectionStringBuilder().ApplicationName)
        {
            builder.ApplicationName = "ReportingSync";
        }

        var endpoint = SqlServerConnectionString.Describe(builder);
        return new SqlTarget(
            new SqlServerDialect(options.EffectiveSchema, options.StateSchema, endpoint, string.IsNullOrEmpty(builder.Password) ? null : builder.Password),
            new SqlServerConnections(builder.ConnectionString),
            time,
            loggers.CreateLogger("ReportingSync.Sql.SqlServer.SqlServerTarget"),
            options.LabelLanguageCode,
            options.LabelViews);
    }

    /// <summary>The check SqlClient itself makes when it opens a connection, made once here so start-up says why.</summary>
    public static bool IsGlobalizationInvariant()
    {
        try
        {
            _ = CultureInfo.GetCultureInfo("en-US");
            return false;
        }
        catch (CultureNotFoundException)
        {
            return true;
        }
    }
}
