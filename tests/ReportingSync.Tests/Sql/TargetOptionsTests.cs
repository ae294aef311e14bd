using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportingSync.Sql;
using ReportingSync.Sql.SqlServer;
using ReportingSync.Target;

namespace ReportingSync.Tests.Sql;

/// <summary>The exact messages a user sees for bad <c>ReportingSync:Target</c> settings.</summary>
public sealed class TargetOptionsTests
{
    [Fact]
    public void Provider_and_connection_string_are_required()
    {
        Errors(new TargetOptions()).Should().Equal("ReportingSync:Target:Provider is required: SqlServer, PostgreSql or Sqlite.");
        Errors(new TargetOptions { Provider = TargetProvider.PostgreSql })
            .Should().Equal("ReportingSync:Target:ConnectionString is required.");
    }

    [Theory]
    [InlineData("Server=tcp:x.database.windows.net,1433;Database=reporting;User ID=sync;Password=hunter2")]
    [InlineData("Server=tcp:x.database.windows.net;Database=reporting;Authentication=Active Directory Managed Identity")]
    [InlineData("Server=tcp:x.database.windows.net;Database=reporting;Authentication=Active Directory MSI;User ID=00000000-0000-0000-0000-000000000001")]
    [InlineData("Server=tcp:x.database.windows.net;Database=reporting;Authentication=Active Directory Default")]
    [InlineData("Server=tcp:x.database.windows.net;Database=reporting;Authentication=Active Directory Workload Identity")]
    [InlineData("Server=localhost;Database=reporting;Integrated Security=true;TrustServerCertificate=true")]
    public void SqlServer_accepts_sql_logins_and_every_Entra_mode_SqlClient_has(string connectionString)
    {
        Errors(new TargetOptions { Provider = TargetProvider.SqlServer, ConnectionString = connectionString }).Should().BeEmpty();
    }

    [Theory]
    [InlineData("Server=tcp:x.database.windows.net;Database=reporting", SqlAuthenticationMethod.ActiveDirectoryDefault)]
    [InlineData("Server=tcp:x.database.windows.net;Database=reporting;Authentication=Active Directory Managed Identity", SqlAuthenticationMethod.ActiveDirectoryManagedIdentity)]
    [InlineData("Server=tcp:x.database.windows.net;Database=reporting;User ID=sync;Password=hunter2", SqlAuthenticationMethod.NotSpecified)]
    public void A_SQL_Server_connection_string_without_credentials_logs_in_with_Active_Directory_Default(string connectionString, SqlAuthenticationMethod expected)
    {
        SqlServerConnectionString.Plan(connectionString).Authentication.Should().Be(expected);
    }

    [Theory]
    [InlineData("Server=x;Password=hunter2;Bogus=1", "ReportingSync:Target:ConnectionString is not a valid SQL Server connection string: *bogus*")]
    [InlineData("Database=x;Password=hunter2", "ReportingSync:Target:ConnectionString is not a valid SQL Server connection string: it has no Server (Data Source).")]
    [InlineData("Server=x;Password=hunter2;x", "ReportingSync:Target:ConnectionString is not a valid SQL Server connection string: *")]
    public void Malformed_SqlServer_connection_strings_name_the_key_and_never_the_password(string connectionString, string expected)
    {
        var errors = Errors(new TargetOptions { Provider = TargetProvider.SqlServer, ConnectionString = connectionString });

        errors.Should().ContainSingle().Which.Should().Match(expected).And.NotContain("hunter2");
    }

    [Fact]
    public void The_state_schema_must_differ_from_the_data_schema_and_the_label_language_must_be_an_lcid()
    {
        Errors(new TargetOptions { Provider = TargetProvider.SqlServer, ConnectionString = "Server=x", Schema = "bad-name", StateSchema = "dbo", LabelLanguageCode = 0 })
            .Should().Equal(
                "ReportingSync:Target:Schema 'bad-name' is not a valid schema name: names must match ^[A-Za-z_][A-Za-z0-9_]{0,127}$.",
                "ReportingSync:Target:LabelLanguageCode must be a positive language id such as 1033 (was 0).");
        Errors(new TargetOptions { Provider = TargetProvider.PostgreSql, ConnectionString = "Host=db", StateSchema = "public" })
            .Should().Equal("ReportingSync:Target:StateSchema 'public' must differ from the data schema (ReportingSync:Target:Schema, 'public').");
        Errors(new TargetOptions { Provider = TargetProvider.SqlServer, ConnectionString = "Server=x", StateSchema = "DBO" })
            .Should().Equal("ReportingSync:Target:StateSchema 'DBO' must differ from the data schema (ReportingSync:Target:Schema, 'dbo').");
    }

    [Fact]
    public void Label_views_are_on_in_English_by_default()
    {
        var options = new TargetOptions();

        (options.LabelViews, options.LabelLanguageCode).Should().Be((true, 1033));
    }

    [Theory]
    [InlineData("Host=db;Password=hunter2;Bogus=1", "ReportingSync:Target:ConnectionString is not a valid PostgreSQL connection string: *bogus*")]
    [InlineData("Host=db;Port=notaport;Password=hunter2", "ReportingSync:Target:ConnectionString is not a valid PostgreSQL connection string: *")]
    [InlineData("Database=x;Password=hunter2", "ReportingSync:Target:ConnectionString is not a valid PostgreSQL connection string: it has no Host.")]
    [InlineData("Host=db;Password=hunter2;x", "ReportingSync:Target:ConnectionString is not a valid PostgreSQL connection string: *index*")]
    public void Malformed_PostgreSql_connection_strings_name_the_key_and_never_the_password(string connectionString, string expected)
    {
        var errors = Errors(new TargetOptions { Provider = TargetProvider.PostgreSql, ConnectionString = connectionString });

        errors.Should().ContainSingle().Which.Should().Match(expected).And.NotContain("hunter2");
    }

    [Fact]
    public void A_password_broken_by_a_semicolon_is_not_echoed()
    {
        // "Password=hun;ter2=x" parses as Password=hun plus an unknown keyword "ter2".
        var errors = Errors(new TargetOptions { Provider = TargetProvider.PostgreSql, ConnectionString = "Host=db;Password=hun;ter2=x" });

        errors.Should().ContainSingle().Which.Should().NotContain("hun").And.NotContain("ter2");
    }

    [Theory]
    [InlineData("Data Source=:memory:")]
    [InlineData("Mode=Memory;Data Source=x")]
    [InlineData("Cache=Shared")]
    public void Sqlite_needs_a_database_file(string connectionString)
    {
        Errors(new TargetOptions { Provider = TargetProvider.Sqlite, ConnectionString = connectionString }).Should().Equal(
            "ReportingSync:Target:ConnectionString must name a writable SQLite database file (Data Source=path/to/file.db); in-memory, temporary and read-only databases cannot hold replicated data.");
    }

    [Fact]
    public void Schema_names_are_validated_for_the_dialect()
    {
        Errors(new TargetOptions { Provider = TargetProvider.PostgreSql, ConnectionString = "Host=db", Schema = "bad-name", StateSchema = new string('s', 64) })
            .Should().Equal(
                "ReportingSync:Target:Schema 'bad-name' is not a valid schema name: names must match ^[A-Za-z_][A-Za-z0-9_]{0,127}$.",
                $"ReportingSync:Target:StateSchema '{new string('s', 64)}' is longer than PostgreSQL's 63-byte identifier limit.");
        Errors(new TargetOptions { Provider = TargetProvider.Sqlite, ConnectionString = "Data Source=x.db", StateSchema = "sqlite_state" })
            .Should().ContainSingle().Which.Should().StartWith("ReportingSync:Target:StateSchema 'sqlite_state' is not a valid name");
    }

    [Fact]
    public void Defaults_follow_the_provider()
    {
        new TargetOptions { Provider = TargetProvider.PostgreSql }.EffectiveSchema.Should().Be("public");
        new TargetOptions { Provider = TargetProvider.SqlServer }.EffectiveSchema.Should().Be("dbo");
        new TargetOptions { Provider = TargetProvider.PostgreSql, Schema = "reporting" }.EffectiveSchema.Should().Be("reporting");
        new TargetOptions().StateSchema.Should().Be("reportingsync");
    }

    [Fact]
    public async Task Registration_binds_the_section_and_builds_the_configured_target()
    {
        var file = Path.Combine(Path.GetTempPath(), $"reportingsync-options-{Guid.NewGuid():N}.db");
        await using var services = Services(new() { ["ReportingSync:Target:Provider"] = "Sqlite", ["ReportingSync:Target:ConnectionString"] = $"Data Source={file}" });

        var target = services.GetRequiredService<IReportingTarget>();

        target.Provider.Should().Be("Sqlite");
        services.GetRequiredService<IOptions<TargetOptions>>().Value.Provider.Should().Be(TargetProvider.Sqlite);
    }

    [Fact]
    public async Task Registration_fails_validation_with_the_messages()
    {
        await using var services = Services(new() { ["ReportingSync:Target:Provider"] = "SqlServer" });

        var act = () => services.GetRequiredService<IOptions<TargetOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Failures.Should()
            .Equal("ReportingSync:Target:ConnectionString is required.");
    }

    [Fact]
    public async Task An_Azure_SQL_target_with_Active_Directory_Default_is_built_by_SqlClient_alone()
    {
        var services = new ServiceCollection()
            .AddReportingTarget(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ReportingSync:Target:Provider"] = "SqlServer",
                ["ReportingSync:Target:ConnectionString"] = "Server=tcp:x.database.windows.net;Database=reporting;Authentication=Active Directory Default",
            }).Build());
        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IOptions<TargetOptions>>().Value.Provider.Should().Be(TargetProvider.SqlServer);
        if (SqlServerTargetFactory.IsGlobalizationInvariant())
        {
            // This repository builds everything invariant; SqlClient cannot work that way, and start-up says so.
            var resolve = () => provider.GetRequiredService<IReportingTarget>();
            resolve.Should().Throw<TargetConfigurationException>().WithMessage("*globalization-invariant mode*InvariantGlobalization=false*");
            return;
        }

        var target = provider.GetRequiredService<IReportingTarget>();
        target.Provider.Should().Be("SqlServer");
        await target.DisposeAsync();
    }

    [Fact]
    public void Creating_a_target_from_bad_options_is_a_non_transient_configuration_error()
    {
        var act = () => ReportingTargetFactory.Create(
            new TargetOptions { Provider = TargetProvider.PostgreSql, ConnectionString = "Host=db;Password=hunter2;Nope=1" },
            TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);

        var error = act.Should().Throw<TargetConfigurationException>().Which;
        error.IsTransient.Should().BeFalse();
        error.Message.Should().StartWith("ReportingSync:Target:ConnectionString").And.NotContain("hunter2");
    }

    private static IReadOnlyList<string> Errors(TargetOptions options) => TargetOptionsValidator.Errors(options);

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddReportingTarget(configuration).BuildServiceProvider();
    }
}
