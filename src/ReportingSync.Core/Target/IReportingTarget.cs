namespace ReportingSync.Target;

/// <summary>
/// The reporting database. Knows SQL; never sees HTTP. One implementation over three dialects (PostgreSQL, SQLite,
/// SQL Server). Consumers depend on the role they use: <see cref="ISyncStateStore"/> (state, leases, commands),
/// <see cref="ITableStore"/> (schema and shadow tables), <see cref="IPageCommitter"/>, <see cref="IMetadataStore"/>,
/// <see cref="IReconciliationStore"/>.
/// </summary>
public interface IReportingTarget : ISyncStateStore, ITableStore, IPageCommitter, IMetadataStore, IReconciliationStore, IAsyncDisposable
{
    /// <summary>Dialect name as configured: SqlServer, PostgreSql or Sqlite.</summary>
    string Provider { get; }

    /// <summary>Opens a connection and runs a trivial query.</summary>
    /// <exception cref="TargetUnavailableException">The database cannot be reached or logged into.</exception>
    Task CheckAsync(CancellationToken cancellationToken);

    /// <summary>Creates the state schema and tables (and DeleteLog) if missing, and upgrades older ones. Idempotent.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);
}
