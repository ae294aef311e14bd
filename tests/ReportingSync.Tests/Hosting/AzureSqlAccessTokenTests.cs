using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReportingSync.Hosting;
using ReportingSync.Sql;
using ReportingSync.Tests.Dataverse.Support;

namespace ReportingSync.Tests.Hosting;

public sealed class AzureSqlAccessTokenTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Asks_for_the_Azure_SQL_scope_once_and_reuses_the_token_until_five_minutes_before_expiry()
    {
        var credential = new CountingCredential(_time, TimeSpan.FromHours(1));
        var tokens = new AzureSqlAccessToken(credential, _time);

        (await tokens.GetAsync(CancellationToken.None)).Should().Be("token-1");
        _time.Advance(TimeSpan.FromMinutes(54));
        (await tokens.GetAsync(CancellationToken.None)).Should().Be("token-1");
        _time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        (await tokens.GetAsync(CancellationToken.None)).Should().Be("token-2");

        credential.Scopes.Select(s => string.Join(" ", s)).Should().Equal("https://database.windows.net/.default", "https://database.windows.net/.default");
    }

    [Fact]
    public async Task Concurrent_connections_share_one_token_request()
    {
        var credential = new CountingCredential(_time, TimeSpan.FromHours(1));
        var tokens = new AzureSqlAccessToken(credential, _time);

        var all = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => tokens.GetAsync(CancellationToken.None)));

        all.Should().OnlyContain(t => t == "token-1");
        credential.Scopes.Should().HaveCount(1);
    }

    [Theory]
    [InlineData("SqlServer", true)]
    [InlineData("sqlserver", true)]
    [InlineData("PostgreSql", false)]
    [InlineData("Sqlite", false)]
    public void The_worker_registers_a_token_source_only_for_a_SQL_Server_target(string provider, bool registered)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ReportingSync:Target:Provider"] = provider,
        }).Build();
        var services = new ServiceCollection();

        WorkerHost.AddWorkerServices(services, configuration);

        using var built = services.BuildServiceProvider();
        (built.GetService<SqlServerAccessTokenProvider>() is not null).Should().Be(registered);
    }

    private sealed class CountingCredential(TimeProvider time, TimeSpan lifetime) : TokenCredential
    {
        public List<string[]> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            throw new NotSupportedException("The worker only asks asynchronously.");

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            await Task.Yield();
            lock (Scopes)
            {
                Scopes.Add(requestContext.Scopes);
                return new AccessToken($"token-{Scopes.Count}", time.GetUtcNow() + lifetime);
            }
        }
    }
}
