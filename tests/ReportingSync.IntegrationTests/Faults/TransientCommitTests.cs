using System.Diagnostics;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Engine;
using ReportingSync.Hosting;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Faults;

/// <summary>
/// A transient target error (what <c>SqlServerErrors</c> makes of a deadlock victim or an Azure SQL failover) on a page
/// commit: the page is committed again in place after a backoff, the entity never turns Failed, and nothing is lost.
/// The real SQLite target does the work; only two commits are made to fail first, as a deadlock would.
/// </summary>
public sealed class TransientCommitTests
{
    [Fact]
    public async Task A_page_commit_that_fails_transiently_is_retried_with_backoff_and_the_entity_never_fails()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 29,
            Entities = ["contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 600 },
            MaxPageSize = 200,
        });
        await using var database = await SqliteDatabase.CreateAsync();
        var settings = new Dictionary<string, string?>
        {
            ["ReportingSync:Dataverse:Url"] = simulator.BaseUrl,
            ["ReportingSync:Dataverse:Auth:Mode"] = "None",
            ["ReportingSync:Target:Provider"] = "Sqlite",
            ["ReportingSync:Target:ConnectionString"] = database.ConnectionString,
            ["ReportingSync:Entities:0"] = "contact",
        };
        var services = new ServiceCollection().AddLogging();
        WorkerHost.AddWorkerServices(services, new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        var flaky = FlakyCommits.Decorate(services, failCommits: [2, 3]);
        await using var provider = services.BuildServiceProvider();
        var supervisor = provider.GetRequiredService<SyncSupervisor>();
        await supervisor.InitializeAsync(await supervisor.PreflightAsync(CancellationToken.None), CancellationToken.None);

        var clock = Stopwatch.StartNew();
        var outcomes = await supervisor.RunOnceAsync(CancellationToken.None);

        outcomes.Should().ContainSingle().Which.Succeeded.Should().BeTrue();
        flaky.Failed.Should().Be(2);
        clock.Elapsed.Should().BeGreaterThanOrEqualTo(PageCommitRetry.Delays[0] + PageCommitRetry.Delays[1], "each retry waits its backoff");
        var target = provider.GetRequiredService<IReportingTarget>();
        var state = await target.LoadStateAsync("contact", CancellationToken.None);
        state!.Status.Should().Be(EntityStatus.Streaming);
        state.ConsecutiveFailures.Should().Be(0);
        (await database.QueryAsync("SELECT Event FROM reportingsync_SyncHistory WHERE EntityName = 'contact'")).Should().NotContain("Failed");
        (await target.CountRowsAsync("contact", CancellationToken.None)).Should().Be(600);
    }

    /// <summary>
    /// Wraps the registered target: every call goes to the real one, except the listed page commits (1-based), which
    /// fail as a deadlock victim does, before reaching the database.
    /// </summary>
    public class FlakyCommits : DispatchProxy
    {
        private IReportingTarget _inner = null!;
        private HashSet<int> _fail = [];
        private int _commits;

        public int Failed { get; private set; }

        internal static FlakyCommits Decorate(IServiceCollection services, int[] failCommits)
        {
            var registered = services.Single(d => d.ServiceType == typeof(IReportingTarget));
            services.Remove(registered);
            var proxy = Create<IReportingTarget, FlakyCommits>();
            var flaky = (FlakyCommits)(object)proxy;
            flaky._fail = [.. failCommits];
            services.AddSingleton(sp =>
            {
                flaky._inner = (IReportingTarget)registered.ImplementationFactory!(sp);
                return proxy;
            });
            return flaky;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IReportingTarget.CommitPageAsync) && _fail.Contains(Interlocked.Increment(ref _commits)))
            {
                Failed++;
                return Task.FromException<CommitResult>(new TargetUnavailableException(
                    "The reporting database is unavailable: the transaction was chosen as a deadlock victim (1205)", isTransient: true));
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException invocation) when (invocation.InnerException is not null)
            {
                throw invocation.InnerException;
            }
        }
    }
}
