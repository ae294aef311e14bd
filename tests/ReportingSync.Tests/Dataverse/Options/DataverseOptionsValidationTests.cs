using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportingSync.Dataverse;

namespace ReportingSync.Tests.Dataverse.Options;

/// <summary>What a user sees for a bad configuration: the exact messages, naming the full key.</summary>
public sealed class DataverseOptionsValidationTests
{
    private static IReadOnlyList<string> Failures(Action<DataverseOptions> configure)
    {
        using var services = new ServiceCollection().AddDataverseSource(configure).BuildServiceProvider();
        try
        {
            _ = services.GetRequiredService<IOptions<DataverseOptions>>().Value;
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures.ToList();
        }
    }

    private static Action<DataverseOptions> Valid(Action<DataverseOptions>? change = null) => o =>
    {
        o.Url = "https://contoso.crm.dynamics.com";
        o.Auth.Mode = DataverseAuthMode.ClientSecret;
        o.Auth.TenantId = "00000000-0000-0000-0000-0000000000aa";
        o.Auth.ClientId = "00000000-0000-0000-0000-0000000000bb";
        o.Auth.ClientSecret = "not-a-real-secret";
        change?.Invoke(o);
    };

    [Fact]
    public void A_complete_configuration_is_valid_and_has_the_documented_defaults()
    {
        Failures(Valid()).Should().BeEmpty();
        var defaults = new DataverseOptions();
        defaults.ApiVersion.Should().Be("v9.2");
        defaults.PageSize.Should().Be(5000);
        defaults.MaxConcurrency.Should().Be(8);
        defaults.RequestTimeout.Should().Be(TimeSpan.FromSeconds(100));
        defaults.MaxRetries.Should().Be(6);
        defaults.MaxThrottleRetries.Should().Be(20);
        defaults.RequestBudgetPerSecond.Should().Be(10, "half of Dataverse's 6,000 requests per 5 minutes");
        defaults.Auth.Mode.Should().Be(DataverseAuthMode.ClientSecret);
    }

    [Fact]
    public void A_missing_Url_names_the_key()
    {
        Failures(Valid(o => o.Url = null)).Should().Equal(
            "DataAnnotation validation failed for 'DataverseOptions' members: 'Url' with the error: 'ReportingSync:Dataverse:Url is required: the organisation URL, e.g. https://contoso.crm.dynamics.com.'.");
    }

    [Theory]
    [InlineData("contoso.crm.dynamics.com")]
    [InlineData("ftp://contoso.crm.dynamics.com")]
    [InlineData("/api/data")]
    public void A_Url_that_is_not_absolute_http_names_the_key(string url)
    {
        Failures(Valid(o => o.Url = url)).Should().Equal(
            "ReportingSync:Dataverse:Url must be an absolute http or https URL such as https://contoso.crm.dynamics.com.");
    }

    [Theory]
    [InlineData("https://contoso.crm.dynamics.com/api/data/v9.2")]
    [InlineData("https://contoso.crm.dynamics.com/?x=1")]
    public void A_Url_with_a_path_says_the_client_adds_it(string url)
    {
        Failures(Valid(o => o.Url = url)).Should().Equal(
            "ReportingSync:Dataverse:Url must be the organisation URL alone, such as https://contoso.crm.dynamics.com: the client adds /api/data/<ApiVersion> itself.");
    }

    [Fact]
    public void Client_secret_mode_names_every_missing_key()
    {
        Failures(Valid(o =>
        {
            o.Auth.TenantId = null;
            o.Auth.ClientId = " ";
            o.Auth.ClientSecret = "";
        })).Should().Equal(
            "ReportingSync:Dataverse:Auth:TenantId is required when ReportingSync:Dataverse:Auth:Mode is ClientSecret.",
            "ReportingSync:Dataverse:Auth:ClientId is required when ReportingSync:Dataverse:Auth:Mode is ClientSecret.",
            "ReportingSync:Dataverse:Auth:ClientSecret is required when ReportingSync:Dataverse:Auth:Mode is ClientSecret.");
    }

    [Fact]
    public void No_authentication_is_refused_for_a_remote_host_and_says_why()
    {
        Failures(Valid(o => o.Auth.Mode = DataverseAuthMode.None)).Should().Equal(
            "ReportingSync:Dataverse:Auth:Mode is None, which sends requests without credentials; that is allowed only when ReportingSync:Dataverse:Url is a loopback address (localhost, 127.0.0.1, ::1), and 'contoso.crm.dynamics.com' is not.");
    }

    [Theory]
    [InlineData("http://localhost:5080")]
    [InlineData("http://127.0.0.1:5080")]
    [InlineData("http://[::1]:5080")]
    public void No_authentication_is_allowed_on_loopback(string url)
    {
        Failures(Valid(o =>
        {
            o.Url = url;
            o.Auth.Mode = DataverseAuthMode.None;
        })).Should().BeEmpty();
    }

    [Fact]
    public void Tokens_are_never_sent_over_plain_http_to_another_host()
    {
        Failures(Valid(o => o.Url = "http://contoso.crm.dynamics.com")).Should().Equal(
            "ReportingSync:Dataverse:Url must use https when ReportingSync:Dataverse:Auth:Mode is ClientSecret: access tokens are never sent over plain http to another host.");
    }

    [Fact]
    public void Managed_and_workload_identity_need_no_secret()
    {
        Failures(Valid(o =>
        {
            o.Auth.Mode = DataverseAuthMode.ManagedIdentity;
            o.Auth.ClientSecret = null;
        })).Should().BeEmpty();
        Failures(Valid(o =>
        {
            o.Auth.Mode = DataverseAuthMode.WorkloadIdentity;
            o.Auth.ClientSecret = null;
            o.Auth.TenantId = null;
        })).Should().BeEmpty();
    }

    [Theory]
    [InlineData(nameof(DataverseOptions.PageSize), 0, "ReportingSync:Dataverse:PageSize must be between 1 and 5000 (Dataverse's maximum page size); it is 0.")]
    [InlineData(nameof(DataverseOptions.PageSize), 5001, "ReportingSync:Dataverse:PageSize must be between 1 and 5000 (Dataverse's maximum page size); it is 5001.")]
    [InlineData(nameof(DataverseOptions.MaxConcurrency), 53, "ReportingSync:Dataverse:MaxConcurrency must be between 1 and 52 (Dataverse allows 52 concurrent requests per user); it is 53.")]
    [InlineData(nameof(DataverseOptions.MaxRetries), -1, "ReportingSync:Dataverse:MaxRetries must be between 0 and 20; it is -1.")]
    [InlineData(nameof(DataverseOptions.MaxThrottleRetries), 1001, "ReportingSync:Dataverse:MaxThrottleRetries must be between 0 and 1000; it is 1001.")]
    public void Numbers_out_of_range_name_the_key_the_range_and_the_value(string property, int value, string message)
    {
        Failures(Valid(o => typeof(DataverseOptions).GetProperty(property)!.SetValue(o, value))).Should().Equal(
            $"DataAnnotation validation failed for 'DataverseOptions' members: '{property}' with the error: '{message}'.");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    [InlineData(double.NaN)]
    public void A_request_budget_that_is_not_positive_or_beyond_reason_names_the_key_and_the_value(double budget)
    {
        Failures(Valid(o => o.RequestBudgetPerSecond = budget)).Should().Equal(
            $"ReportingSync:Dataverse:RequestBudgetPerSecond must be between 0.01 and 1000 requests per second (was {budget.ToString(System.Globalization.CultureInfo.InvariantCulture)}); " +
            "Dataverse allows 6,000 per 5 minutes, 20 per second, per application user.");
    }

    [Fact]
    public void Delays_and_timeouts_are_checked()
    {
        Failures(Valid(o => o.RequestTimeout = TimeSpan.Zero)).Should().Equal(
            "DataAnnotation validation failed for 'DataverseOptions' members: 'RequestTimeout' with the error: 'ReportingSync:Dataverse:RequestTimeout must be between 00:00:01 and 00:30:00; it is 00:00:00.'.");
        Failures(Valid(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromSeconds(10);
            o.RetryMaxDelay = TimeSpan.FromSeconds(5);
        })).Should().Equal("ReportingSync:Dataverse:RetryBaseDelay (00:00:10) must not exceed ReportingSync:Dataverse:RetryMaxDelay (00:00:05).");
        Failures(Valid(o => o.ApiVersion = "9.2")).Should().Equal(
            "DataAnnotation validation failed for 'DataverseOptions' members: 'ApiVersion' with the error: 'ReportingSync:Dataverse:ApiVersion must look like v9.2.'.");
        Failures(Valid(o => o.Auth.AuthorityHost = new Uri("http://login.example.com/"))).Should().Equal(
            "ReportingSync:Dataverse:Auth:AuthorityHost must be an absolute https URL such as https://login.microsoftonline.com/.");
    }

    [Fact]
    public async Task Options_bind_from_the_configuration_section_and_are_validated_when_the_host_starts()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReportingSync:Dataverse:Url"] = "https://contoso.crm.dynamics.com",
            ["ReportingSync:Dataverse:Auth:Mode"] = "ManagedIdentity",
            ["ReportingSync:Dataverse:Auth:ClientId"] = "00000000-0000-0000-0000-0000000000cc",
            ["ReportingSync:Dataverse:PageSize"] = "9000",
            ["ReportingSync:Dataverse:MaxConcurrency"] = "16",
        });
        builder.Services.AddDataverseSource(builder.Configuration.GetSection(DataverseOptions.SectionName));
        builder.Logging.ClearProviders();
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().Equal(
            "DataAnnotation validation failed for 'DataverseOptions' members: 'PageSize' with the error: 'ReportingSync:Dataverse:PageSize must be between 1 and 5000 (Dataverse's maximum page size); it is 9000.'.");
    }

    [Fact]
    public void Binding_reads_every_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReportingSync:Dataverse:Url"] = "https://contoso.crm.dynamics.com",
            ["ReportingSync:Dataverse:ApiVersion"] = "v9.1",
            ["ReportingSync:Dataverse:Auth:Mode"] = "WorkloadIdentity",
            ["ReportingSync:Dataverse:Auth:TenantId"] = "t",
            ["ReportingSync:Dataverse:Auth:ClientId"] = "c",
            ["ReportingSync:Dataverse:PageSize"] = "1000",
            ["ReportingSync:Dataverse:MaxConcurrency"] = "16",
            ["ReportingSync:Dataverse:RequestTimeout"] = "00:01:00",
            ["ReportingSync:Dataverse:MaxRetries"] = "2",
            ["ReportingSync:Dataverse:RetryBaseDelay"] = "00:00:02",
            ["ReportingSync:Dataverse:RetryMaxDelay"] = "00:00:20",
        }).Build();
        using var services = new ServiceCollection().AddDataverseSource(configuration.GetSection(DataverseOptions.SectionName)).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<DataverseOptions>>().Value;

        options.Should().BeEquivalentTo(new
        {
            Url = "https://contoso.crm.dynamics.com",
            ApiVersion = "v9.1",
            Auth = new { Mode = DataverseAuthMode.WorkloadIdentity, TenantId = "t", ClientId = "c" },
            PageSize = 1000,
            MaxConcurrency = 16,
            RequestTimeout = TimeSpan.FromMinutes(1),
            MaxRetries = 2,
            RetryBaseDelay = TimeSpan.FromSeconds(2),
            RetryMaxDelay = TimeSpan.FromSeconds(20),
        });
    }
}
