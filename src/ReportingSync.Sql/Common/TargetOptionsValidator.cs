using Microsoft.Extensions.Options;
using ReportingSync.Sql.PostgreSql;
using ReportingSync.Sql.Sqlite;

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
        switch (options.Provider)
        {
            case null:
                errors.Add($"{Section}:Provider is required: PostgreSql or Sqlite.");
                return errors;
            case TargetProvider.SqlServer:
                errors.Add($"{Section}:Provider SqlServer is not yet supported; use PostgreSql or Sqlite.");
                return errors;
        }

        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            errors.Add($"{ConnectionStrings.Key} is required.");
        }
        else if ((options.Provider == TargetProvider.PostgreSql
                     ? PostgreSqlConnectionString.Validate(options.ConnectionString)
                     : SqliteConnectionString.Validate(options.ConnectionString)) is { } connectionError)
        {
            errors.Add(connectionError);
        }

        if (options.Provider == TargetProvider.PostgreSql)
        {
            if (!string.IsNullOrEmpty(options.Schema) && PostgreSqlIdentifier.SchemaError(options.Schema, $"{Section}:Schema") is { } schemaError)
            {
                errors.Add(schemaError);
            }

            if (PostgreSqlIdentifier.SchemaError(options.StateSchema, $"{Section}:StateSchema") is { } stateError)
            {
                errors.Add(stateError);
            }
        }
        else if (SqliteIdentifier.PrefixError(options.StateSchema, $"{Section}:StateSchema") is { } prefixError)
        {
            errors.Add(prefixError);
        }

        return errors;
    }
}
