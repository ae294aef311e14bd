using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportingSync.Dataverse;
using ReportingSync.Source;
using ReportingSync.Tests.Dataverse.Support;

namespace ReportingSync.Tests.Dataverse.Auth;

/// <summary>The client secret appears in no message, exception or log line, whatever goes wrong.</summary>
public sealed class SecretRedactionTests
{
    private const string Secret = "Zq8~vS3cr3t.Value-Never-Shown_42";

    [Fact]
    public void Options_print_everything_but_the_secret()
    {
        var options = new DataverseOptions { Url = "https://contoso.crm.dynamics.com" };
        options.Auth.TenantId = "tenant";
        options.Auth.ClientId = "client";
        options.Auth.ClientSecret = Secret;

        var text = options.ToString();

        text.Should().NotContain(Secret);
        text.Should().Contain("Auth={Mode=ClientSecret, TenantId=tenant, ClientId=client, ClientSecret=***}");
        text.Should().StartWith("Url=https://contoso.crm.dynamics.com, ApiVersion=v9.2, ");
    }

    [Fact]
    public void Validation_messages_never_echo_the_secret()
    {
        using var services = new ServiceCollection().AddDataverseSource(o =>
        {
            o.Url = "http://contoso.crm.dynamics.com/" + Secret;
            o.Auth.ClientSecret = Secret;
        }).BuildServiceProvider();

        var act = () => services.GetRequiredService<IOptions<DataverseOptions>>().Value;

        act.Should().Throw<OptionsValidationException>().Which.Message.Should().NotContain(Secret);
    }

    [Fact]
    public async Task A_failed_sign_in_reports_the_host_and_mode_but_never_the_secret()
    {
        await using var stub = await StubDataverse.StartAsync();
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddDataverseSource(o =>
        {
            o.Url = stub.Url;
            o.MaxRetries = 0;
            o.Auth.Mode = DataverseAuthMode.ClientSecret;
            o.Auth.TenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
            o.Auth.ClientId = "0f0e0d0c-0b0a-0908-0706-050403020100";
            o.Auth.ClientSecret = Secret;
            o.Auth.AuthorityHost = new Uri($"https://127.0.0.1:{Ports.Closed()}/");
        });
        await using var provider = services.BuildServiceProvider();
        var source = provider.GetRequiredService<DataverseChangeSource>();

        var act = () => source.GetEntitySchemaAsync("contact", CancellationToken.None);

        var error = (await act.Should().ThrowAsync<SourceUnavailableException>()).Which;
        error.Message.Should().StartWith("Could not get an access token for 127.0.0.1 (ReportingSync:Dataverse:Auth:Mode ClientSecret): ");
        error.ToString().Should().NotContain(Secret);
        logs.AllText.Should().NotContain(Secret);
        stub.Requests.Should().BeEmpty("nothing is sent to Dataverse without a token");
    }
}
