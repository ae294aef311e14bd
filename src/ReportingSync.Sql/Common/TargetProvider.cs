namespace ReportingSync.Sql;

/// <summary>The reporting database dialect (<c>ReportingSync:Target:Provider</c>).</summary>
public enum TargetProvider
{
    /// <summary>Microsoft SQL Server / Azure SQL (docs/sqlserver.md).</summary>
    SqlServer,

    PostgreSql,

    Sqlite,
}
