namespace ReportingSync.Sql;

/// <summary>
/// Where replicated tables go, bound from <c>ReportingSync:Target</c>. Validated at start-up
/// (<see cref="TargetOptionsValidator"/>); error messages name the full configuration key and never echo passwords.
/// </summary>
public sealed class TargetOptions
{
    public const string SectionName = "ReportingSync:Target";

    /// <summary>Required: <c>SqlServer</c> (also Azure SQL), <c>PostgreSql</c> or <c>Sqlite</c>.</summary>
    public TargetProvider? Provider { get; set; }

    /// <summary>
    /// Required. An ADO.NET connection string for the provider (Microsoft.Data.SqlClient, Npgsql or Microsoft.Data.Sqlite
    /// syntax). For Azure SQL: SQL logins (User ID/Password), or any Entra mode SqlClient supports
    /// (<c>Authentication=Active Directory Default</c>, <c>Managed Identity</c>, <c>Workload Identity</c>, ...); a SQL
    /// Server connection string without any credentials logs in with <c>Active Directory Default</c>.
    /// </summary>
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

    /// <summary>
    /// Create an <c>&lt;entity&gt;_labelled</c> view per entity (every column plus a <c>_label</c> column per choice), kept
    /// up to date on every metadata sync, re-seed swap and alter. Default true.
    /// </summary>
    public bool LabelViews { get; set; } = true;

    /// <summary>Language of the labels the views show (a Dataverse LCID). Default 1033 (English).</summary>
    public int LabelLanguageCode { get; set; } = DefaultLabelLanguageCode;

    public const int DefaultLabelLanguageCode = 1033;

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
