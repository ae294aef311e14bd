using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using ReportingSync.Dataverse;
using ReportingSync.Source;
using ReportingSync.Tests.Dataverse.Support;
using Microsoft.Extensions.Time.Testing;

namespace ReportingSync.Tests.Dataverse.Auth;

public sealed class AzureIdentityTokenProviderTests
{
    private static readonly Uri Org = new("https://contoso.crm.dynamics.com");
    private readonly FakeTimeProvider _clock = new();

    private AzureIdentityTokenProvider Provider(TokenCredential credential) =>
        new(credential, Org, DataverseAuthMode.ClientSecret, "s3cret", _clock, NullLogger.Instance);

    [Fact]
    public async Task The_scope_is_the_organisation_with_default_and_the_header_is_a_bearer_token()
    {
        var credential = new FakeCredential(_clock);
        using var provider = Provider(credential);

        var header = await provider.GetAuthorizationAsync(CancellationToken.None);

        header.Should().Be("Bearer token-1");
        credential.Scopes.Should().Equal("https://contoso.crm.dynamics.com/.default");
    }

    [Fact]
    public async Task A_token_is_reused_until_five_minutes_before_it_expires()
    {
        var credential = new FakeCredential(_clock, lifetime: TimeSpan.FromMinutes(60));
        using var provider = Provider(credential);

        await provider.GetAuthorizationAsync(CancellationToken.None);
        _clock.Advance(TimeSpan.FromMinutes(54));
        (await provider.GetAuthorizationAsync(CancellationToken.None)).Should().Be("Bearer token-1");
        credential.Calls.Should().Be(1);

        _clock.Advance(TimeSpan.FromMinutes(1));
        (await provider.GetAuthorizationAsync(CancellationToken.None)).Should().Be("Bearer token-2");
        credential.Calls.Should().Be(2);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_refresh_and_invalidate_forces_a_new_token()
    {
        var credential = new FakeCredential(_clock) { Delay = TimeSpan.FromMilliseconds(100) };
        using var provider = Provider(credential);

        var headers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => provider.GetAuthorizationAsync(CancellationToken.None).AsTask()));
        headers.Should().OnlyContain(h => h == "Bearer token-1");
        credential.Calls.Should().Be(1);

        provider.Invalidate();
        (await provider.GetAuthorizationAsync(CancellationToken.None)).Should().Be("Bearer token-2");
    }

    [Fact]
    public async Task A_credential_that_cannot_work_here_is_a_non_transient_SourceUnavailable()
    {
        var credential = new FakeCredential(_clock) { Failure = new CredentialUnavailableException("No managed identity endpoint found.") };
        using var provider = Provider(credential);

        var act = () => provider.GetAuthorizationAsync(CancellationToken.None).AsTask();

        var error = (await act.Should().ThrowAsync<SourceUnavailableException>()).Which;
        error.Message.Should().Be(
            "Could not get an access token for contoso.crm.dynamics.com (ReportingSync:Dataverse:Auth:Mode ClientSecret): No managed identity endpoint found.");
        error.IsTransient.Should().BeFalse();
    }

    [Fact]
    public async Task A_failure_message_that_would_show_the_secret_is_scrubbed_and_its_inner_exception_dropped()
    {
        var credential = new FakeCredential(_clock) { Failure = new AuthenticationFailedException("AADSTS7000215: Invalid client secret 's3cret' provided.") };
        using var provider = Provider(credential);

        var act = () => provider.GetAuthorizationAsync(CancellationToken.None).AsTask();

        var error = (await act.Should().ThrowAsync<SourceUnavailableException>()).Which;
        error.ToString().Should().NotContain("s3cret");
        error.Message.Should().EndWith("AADSTS7000215: Invalid client secret '***' provided.");
        error.InnerException.Should().BeNull();
        error.IsTransient.Should().BeTrue();
    }

    [Fact]
    public void Credentials_are_built_for_every_mode()
    {
        var options = new DataverseOptions { Url = "https://contoso.crm.dynamics.com" };
        options.Auth.TenantId = "00000000-0000-0000-0000-0000000000aa";
        options.Auth.ClientId = "00000000-0000-0000-0000-0000000000bb";
        options.Auth.ClientSecret = "x";

        DataverseCredentials.Create(options).Should().BeOfType<ClientSecretCredential>();
        options.Auth.Mode = DataverseAuthMode.ManagedIdentity;
        DataverseCredentials.Create(options).Should().BeOfType<ManagedIdentityCredential>();
        options.Auth.Mode = DataverseAuthMode.WorkloadIdentity;
        DataverseCredentials.Create(options).Should().BeOfType<WorkloadIdentityCredential>();
    }

    private sealed class FakeCredential(TimeProvider clock, TimeSpan? lifetime = null) : TokenCredential
    {
        private int _calls;

        public int Calls => _calls;
        public string[] Scopes { get; private set; } = [];
        public TimeSpan Delay { get; init; }
        public Exception? Failure { get; init; }

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var call = Interlocked.Increment(ref _calls);
            Scopes = requestContext.Scopes;
            if (Delay > TimeSpan.Zero)
            {
                await Task.Delay(Delay, cancellationToken);
            }

            if (Failure is not null)
            {
                throw Failure;
            }

            return new AccessToken($"token-{call}", clock.GetUtcNow() + (lifetime ?? TimeSpan.FromHours(1)));
        }
    }
}
