namespace ReportingSync.Sql;

/// <summary>
/// Where replicated tables go, bound from <c>ReportingSync:Target</c>. Validated at start-up
/// (<see cref="TargetOptionsValidator"/>); error messages name the full configuration key and never echo passwords.
/// </summary>
public sealed class TargetOptions
{
    public const string SectionName = "ReportingSync:Target";

    /// <summary>Required: <c>PostgreSql</c>, <c>Sqlite</c> (or <c>SqlServer</c>, not yet supported).</summary>
    public TargetProvider? Provider { get; set; }

    /// <summary>Required. An ADO.NET connection string for the provider (Npgsql or Microsoft.Data.Sqlite syntax).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// Schema of the entity tables and <c>DeleteLog</c>. Default: <c>public</c> (PostgreSQL), <c>dbo</c> (SQL Server).
    /// Ignored by SQLite, which has one schema per file.
    /// </summary>
    public string? Schema { get; set; }

    /// <summary>
    /// Schema of the sync state tables (<c>EntityState</c>, <c>SyncHistory</c>). Default <c>reportingsync</c>.
    /// SQLite uses it as a table-name prefix (<c>reportingsync_EntityState</c>).
    /// </summary>
    public string StateSchema { get; set; } = DefaultStateSchema;

    public const string DefaultStateSchema = "reportingsync";

    /// <summary>The data schema after defaults: the configured one, or the provider's usual default.</summary>
    internal string EffectiveSchema => string.IsNullOrEmpty(Schema)
        ? Provider switch
        {
            TargetProvider.SqlServer => "dbo",
            TargetProvider.Sqlite => "main",
            _ => "public",
        }
        : Schema;
}
