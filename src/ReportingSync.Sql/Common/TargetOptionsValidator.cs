using Microsoft.Extensions.Options;
using ReportingSync.Sql.PostgreSql;
using ReportingSync.Sql.Sqlite;
using ReportingSync.Sql.SqlServer;

namespace ReportingSync.Sql;

/// <summary>
/// Start-up validation of <see cref="TargetOptions"/>. Messages name the full configuration key, say what is wrong
/// and never repeat a password (connection string errors are built from the parsed parts).
/// </summary>
internal sealed class TargetOptionsValidator : IValidateOptions<TargetOptions>
{
    private const string Section = TargetOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, TargetOptions options)
    {
        var errors = Errors(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static IReadOnlyList<string> Errors(TargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        if (options.Provider is null)
        {
            errors.Add($"{Section}:Provider is required: SqlServer, PostgreSql or Sqlite.");
            return errors;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{ConnectionStrings.Key} is required.");
        }
        else if ((options.Provider switch
                 {
                     TargetProvider.SqlServer => SqlServerConnectionString.Validate(options.ConnectionString),
                     TargetProvider.PostgreSql => PostgreSqlConnectionString.Validate(options.ConnectionString),
                     _ => SqliteConnectionString.Validate(options.ConnectionString),
                 }) is { } connectionError)
        {
            errors.Add(connectionError);
        }

        switch (options.Provider)
        {
            case TargetProvider.PostgreSql:
                if (!string.IsNullOrEmpty(options.Schema) && PostgreSqlDialect.Identifiers.SchemaError(options.Schema, $"{Section}:Schema") is { } schemaError)
                {
                    errors.Add(schemaError);
                }

                if (PostgreSqlDialect.Identifiers.SchemaError(options.StateSchema, $"{Section}:StateSchema") is { } stateError)
                {
                    errors.Add(stateError);
                }

                break;
            case TargetProvider.SqlServer:
                if (!string.IsNullOrEmpty(options.Schema) && SqlServerDialect.Identifiers.SchemaError(options.Schema, $"{Section}:Schema") is { } sqlSchemaError)
                {
                    errors.Add(sqlSchemaError);
                }

                if (SqlServerDialect.Identifiers.SchemaError(options.StateSchema, $"{Section}:StateSchema") is { } sqlStateError)
                {
                    errors.Add(sqlStateError);
                }

                break;
            default:
                if (SqliteDialect.PrefixError(options.StateSchema, $"{Section}:StateSchema") is { } prefixError)
                {
                    errors.Add(prefixError);
                }

                break;
        }

        // Entity tables and the state tables share names (a Dataverse table may be called "command"), so one schema
        // cannot hold both.
        if (options.Provider != TargetProvider.Sqlite && string.Equals(options.EffectiveSchema, options.StateSchema, StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"{Section}:StateSchema '{options.StateSchema}' must differ from the data schema ({Section}:Schema, '{options.EffectiveSchema}').");
        }

        if (options.LabelLanguageCode <= 0)
        {
            errors.Add($"{Section}:LabelLanguageCode must be a positive language id such as 1033 (was {options.LabelLanguageCode}).");
        }

        return errors;
    }
}
