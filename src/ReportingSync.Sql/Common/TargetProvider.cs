namespace ReportingSync.Sql;

/// <summary>The reporting database dialect (<c>ReportingSync:Target:Provider</c>).</summary>
public enum TargetProvider
{
    /// <summary>Microsoft SQL Server / Azure SQL (not yet supported).</summary>
    SqlServer,

    PostgreSql,

    Sqlite,
}
