using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using ReportingSync.DataverseSimulator.Hints;
using ReportingSync.Hints;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.DataverseSimulator.Store;
using ReportingSync.IntegrationTests.Support;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Hints;

/// <summary>
/// Push hints end to end: the simulator sends Dataverse-shaped webhook calls for its changes, the worker (composed as
/// <c>run</c> composes it) wakes the entity's delta read. The poll interval is 60 s, so a change that lands within
/// seconds got there through a hint. The Service Bus path shares the sink; its message handling is tested with the SDK's
/// model factory (<c>ServiceBusHintHandlerTests</c>), since no broker can run here.
/// </summary>
public sealed class HintTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string WebhookKey = "k3y-for-hint-tests-0123456789";
    private static readonly string[] Entities = ["contact", "account"];

    private SqliteDatabase _database = null!;

    public async Task InitializeAsync() => _database = await SqliteDatabase.CreateAsync();

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task With_webhook_hints_and_a_60_s_poll_a_change_is_committed_within_seconds()
    {
        await using var simulator = await StartSimulatorAsync(new SimulatorHintOptions { WebhookUrl = Placeholder, WebhookKey = WebhookKey });
        await using var worker = await StartWorkerAsync(simulator, Webhook());
        simulator.Options.Hints.WebhookUrl = new Uri(worker.BaseUrl + "/hooks/dataverse");

        var lags = await MeasureLagsAsync(simulator, count: 5);

        simulator.Hints!.LastWebhookStatus.Should().Be(202);
        AssertFast(lags);
    }

    [Fact]
    public async Task With_30_percent_of_hints_lost_and_30_percent_duplicated_the_target_equals_the_source_after_the_next_poll()
    {
        await using var simulator = await StartSimulatorAsync(new SimulatorHintOptions
        {
            WebhookUrl = Placeholder, WebhookKey = WebhookKey,
            LossPercent = 30, DuplicatePercent = 30, DelayPercent = 10, Delay = TimeSpan.FromSeconds(1),
        });
        var poll = TimeSpan.FromSeconds(4);
        await using var worker = await StartWorkerAsync(simulator, Webhook(), poll);
        simulator.Options.Hints.WebhookUrl = new Uri(worker.BaseUrl + "/hooks/dataverse");

        simulator.ChangeGenerator.Start(50, Entities);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await simulator.ChangeGenerator.StopAsync();
        var stopped = Stopwatch.StartNew();

        var emitter = simulator.Hints!;
        emitter.Lost.Should().BeGreaterThan(0);
        emitter.Duplicated.Should().BeGreaterThan(0);

        IReadOnlyList<string> differences = ["not compared yet"];
        while (stopped.Elapsed < poll * 2 + TimeSpan.FromSeconds(10))
        {
            differences = await CompareAsync(simulator, worker);
            if (differences.Count == 0)
            {
                break;
            }

            await Task.Delay(500);
        }

        output.WriteLine($"{simulator.ChangeGenerator.ChangesMade} changes, {emitter.Lost} hints lost, {emitter.Duplicated} duplicated; equal after {stopped.Elapsed.TotalSeconds:0.0} s");
        differences.Should().BeEmpty("lost hints wait for the next poll and duplicates only cost an empty read");
    }

    [Fact]
    public async Task When_every_hint_is_lost_the_poll_still_brings_the_change()
    {
        await using var simulator = await StartSimulatorAsync(new SimulatorHintOptions { WebhookUrl = Placeholder, WebhookKey = WebhookKey, LossPercent = 100 });
        var poll = TimeSpan.FromSeconds(3);
        await using var worker = await StartWorkerAsync(simulator, Webhook(), poll);
        simulator.Options.Hints.WebhookUrl = new Uri(worker.BaseUrl + "/hooks/dataverse");

        var clock = Stopwatch.StartNew();
        var version = simulator.Store.Update("contact", simulator.Store.Snapshot("contact")[0].Id, new Dictionary<string, object?> { ["lastname"] = "Unhinted" });
        while (await MaxVersionAsync("contact") < version && clock.Elapsed < poll + TimeSpan.FromSeconds(10))
        {
            await Task.Delay(20);
        }

        output.WriteLine($"lag without hints: {clock.Elapsed.TotalSeconds:0.000} s");
        (await MaxVersionAsync("contact")).Should().BeGreaterThanOrEqualTo(version, "the poll interval is the safety net");
        simulator.Hints!.Lost.Should().Be(1);
        simulator.Hints.Sent.Should().Be(0);
        worker.Sink.Received.Should().Be(0);
    }

    [Fact]
    public async Task Hints_for_a_table_without_changes_cause_a_delta_read_and_no_write()
    {
        await using var simulator = await StartSimulatorAsync(new SimulatorHintOptions { WebhookUrl = Placeholder, WebhookKey = WebhookKey });
        await using var worker = await StartWorkerAsync(simulator, Webhook());
        simulator.Options.Hints.WebhookUrl = new Uri(worker.BaseUrl + "/hooks/dataverse");

        var before = worker.Supervisor.States.Single(s => s.EntityName == "account");
        var rowsBefore = await worker.Target.CountRowsAsync("account", CancellationToken.None);
        var versionBefore = await MaxVersionAsync("account");
        var deltasBefore = simulator.RequestLog.Query(kind: RequestKind.Delta).Count;

        for (var i = 0; i < 20; i++)
        {
            await simulator.Hints!.EmitAsync(new StoreChange("account", Guid.NewGuid(), 0, ChangeKind.Update, DateTimeOffset.UtcNow));
        }

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var after = worker.Supervisor.States.Single(s => s.EntityName == "account");
        simulator.RequestLog.Query(kind: RequestKind.Delta).Count.Should().BeInRange(deltasBefore + 1, deltasBefore + 4,
            "20 hints in a burst are folded into one or two delta reads");
        worker.Sink.Received.Should().Be(20);
        after.RowsUpserted.Should().Be(before.RowsUpserted);
        after.RowsDeleted.Should().Be(before.RowsDeleted);
        (await worker.Target.CountRowsAsync("account", CancellationToken.None)).Should().Be(rowsBefore);
        (await MaxVersionAsync("account")).Should().Be(versionBefore);
    }

    [Fact]
    public async Task A_hint_for_a_table_that_is_not_configured_is_ignored()
    {
        await using var simulator = await StartSimulatorAsync(new SimulatorHintOptions { WebhookUrl = Placeholder, WebhookKey = WebhookKey });
        await using var worker = await StartWorkerAsync(simulator, Webhook());
        simulator.Options.Hints.WebhookUrl = new Uri(worker.BaseUrl + "/hooks/dataverse");
        var requestsBefore = simulator.RequestLog.Query().Count;

        await simulator.Hints!.EmitAsync(new StoreChange("dfeta_sanction", Guid.NewGuid(), 0, ChangeKind.Create, DateTimeOffset.UtcNow));
        await Task.Delay(500);

        simulator.Hints.LastWebhookStatus.Should().Be(202, "the caller learns nothing about the configuration");
        worker.Sink.Ignored.Should().Be(1);
        worker.Sink.Wakes.Should().Be(0);
        simulator.RequestLog.Query().Skip(requestsBefore).Should().NotContain(r => r.EntitySet == "dfeta_sanctions");
    }

    [Fact]
    public async Task A_webhook_call_without_or_with_a_wrong_key_gets_401_and_triggers_nothing()
    {
        await using var simulator = await StartSimulatorAsync(new SimulatorHintOptions { WebhookUrl = Placeholder });
        var settings = Webhook();
        settings["ReportingSync:Hints:Webhook:HeaderName"] = "x-hook-key";
        await using var worker = await StartWorkerAsync(simulator, settings);
        using var http = new HttpClient();
        var deltasBefore = simulator.RequestLog.Query(kind: RequestKind.Delta).Count;

        async Task<int> PostAsync(string query, string? header)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, worker.BaseUrl + "/hooks/dataverse" + query)
            {
                Content = new StringContent("""{"MessageName":"Update","PrimaryEntityName":"account"}""", System.Text.Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-ms-dynamics-entity-name", "account");
            if (header is not null)
            {
                request.Headers.Add("x-hook-key", header);
            }

            using var response = await http.SendAsync(request);
            return (int)response.StatusCode;
        }

        (await PostAsync("", null)).Should().Be(401);
        (await PostAsync("?code=wrong-key-0123456789", null)).Should().Be(401);
        (await PostAsync("?code=" + WebhookKey[..^1], null)).Should().Be(401);
        (await PostAsync("", "wrong-key-0123456789")).Should().Be(401);
        await Task.Delay(500);
        worker.Sink.Received.Should().Be(0);
        simulator.RequestLog.Query(kind: RequestKind.Delta).Count.Should().Be(deltasBefore, "a rejected call triggers nothing");

        (await PostAsync("?code=" + Uri.EscapeDataString(WebhookKey), null)).Should().Be(202);
        (await PostAsync("", WebhookKey)).Should().Be(202);
        worker.Sink.Received.Should().Be(2);
    }

    [Fact]
    public async Task A_Service_Bus_namespace_that_refuses_connections_never_stops_the_worker_and_its_key_is_never_logged()
    {
        // The real SDK path (client, processor, start, errors, stop) against a loopback address where no broker listens:
        // the processor reports its failures, the webhook hints and the polls go on.
        const string sasKey = "U2VydmljZUJ1c1NlY3JldEtleVZhbHVlMDEyMzQ1Njc=";
        await using var simulator = await StartSimulatorAsync(new SimulatorHintOptions { WebhookUrl = Placeholder, WebhookKey = WebhookKey });
        var settings = Webhook();
        settings["ReportingSync:Hints:ServiceBus:ConnectionString"] = $"Endpoint=sb://127.0.0.1/;SharedAccessKeyName=listen;SharedAccessKey={sasKey}";
        settings["ReportingSync:Hints:ServiceBus:EntityPath"] = "dataverse";
        await using var worker = await StartWorkerAsync(simulator, settings, configure: b => b.Logging.AddFakeLogging());
        simulator.Options.Hints.WebhookUrl = new Uri(worker.BaseUrl + "/hooks/dataverse");
        var logs = worker.Services.GetRequiredService<FakeLogCollector>();

        var clock = Stopwatch.StartNew();
        while (!logs.GetSnapshot().Any(r => r.Id.Id == 9011) && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(100);
        }

        var lags = await MeasureLagsAsync(simulator, count: 3);

        AssertFast(lags);
        var records = logs.GetSnapshot();
        output.WriteLine(string.Join("\n", records.Where(r => r.Id.Id is >= 9010 and < 9020).Select(r => $"{r.Id.Id} {r.Message}")));
        records.Should().Contain(r => r.Id.Id == 9011, "the processor's connection failures are reported");
        worker.Services.GetRequiredService<ServiceBusHintListener>().Processor.IsProcessing.Should().BeTrue("the processor keeps trying on its own");
        records.Should().NotContain(r => r.Message.Contains(sasKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_hint_settings_stop_run_at_start_up_naming_each_key_and_no_secret()
    {
        var error = new StringWriter();
        var settings = new ReportingSync.Hosting.HostSettings
        {
            Overrides = new Dictionary<string, string?>
            {
                ["ReportingSync:Dataverse:Url"] = "http://127.0.0.1:9",
                ["ReportingSync:Dataverse:Auth:Mode"] = "None",
                ["ReportingSync:Target:Provider"] = "Sqlite",
                ["ReportingSync:Target:ConnectionString"] = _database.ConnectionString,
                ["ReportingSync:Entities:0"] = "contact",
                ["ReportingSync:Hints:Enabled"] = "true",
                ["ReportingSync:Hints:ServiceBus:ConnectionString"] = "Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=listen;SharedAccessKey=VerySecretSasKeyValue",
                ["ReportingSync:Hints:ServiceBus:MaxConcurrentCalls"] = "0",
                ["ReportingSync:Hints:Webhook:Key"] = "short",
            },
        };

        var exit = await ReportingSync.Cli.StartupReporter.GuardAsync(error,
            () => ReportingSync.Cli.RunCommand.RunAsync(settings, once: false, [], TextWriter.Null, CancellationToken.None));

        exit.Should().Be(2);
        var text = error.ToString();
        output.WriteLine(text);
        text.Should().Contain("ReportingSync:Hints:ServiceBus:EntityPath is required")
            .And.Contain("ReportingSync:Hints:ServiceBus:MaxConcurrentCalls must be between 1 and 32 (was 0).")
            .And.Contain("ReportingSync:Hints:Webhook:Key must be at least 16 characters")
            .And.NotContain("VerySecretSasKeyValue");
    }

    private static readonly Uri Placeholder = new("http://127.0.0.1:9/hooks/dataverse");

    private static Task<SimulatorHost> StartSimulatorAsync(SimulatorHintOptions hints) =>
        SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 91,
            Entities = [.. Entities, "dfeta_sanction", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 300, ["account"] = 100, ["dfeta_sanction"] = 20 },
            Hints = hints,
        });

    private async Task<HintedWorker> StartWorkerAsync(
        SimulatorHost simulator, Dictionary<string, string?> hints, TimeSpan? poll = null, Action<Microsoft.AspNetCore.Builder.WebApplicationBuilder>? configure = null)
    {
        var settings = new Dictionary<string, string?>(hints)
        {
            ["ReportingSync:Dataverse:Url"] = simulator.BaseUrl,
            ["ReportingSync:Dataverse:Auth:Mode"] = "None",
            ["ReportingSync:Target:Provider"] = "Sqlite",
            ["ReportingSync:Target:ConnectionString"] = _database.ConnectionString,
            ["ReportingSync:PollInterval"] = (poll ?? TimeSpan.FromSeconds(60)).ToString("c", CultureInfo.InvariantCulture),
            ["ReportingSync:Hints:Enabled"] = "true",
            // One worker: without leases every entity starts at once (a lease-holding replica defers extra entities by polls).
            ["ReportingSync:Leases"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var i = 0; i < Entities.Length; i++)
        {
            settings[$"ReportingSync:Entities:{i}"] = Entities[i];
        }

        var worker = await HintedWorker.StartAsync(settings, configure);
        await worker.WaitUntilStreamingAsync(TimeSpan.FromSeconds(60));

        // A seed is followed at once by a delta read; wait for it so that later counts of delta reads are the tests' own.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (simulator.RequestLog.Query(kind: RequestKind.Delta).Select(r => r.EntitySet).Distinct().Count() < Entities.Length && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await Task.Delay(200);
        return worker;
    }

    private static Dictionary<string, string?> Webhook() => new() { ["ReportingSync:Hints:Webhook:Key"] = WebhookKey };

    /// <summary>Updates one contact at a time and times until its version is in the target (direct SQL, 20 ms polls).</summary>
    private async Task<List<TimeSpan>> MeasureLagsAsync(SimulatorHost simulator, int count)
    {
        var rows = simulator.Store.Snapshot("contact");
        var lags = new List<TimeSpan>();
        for (var i = 0; i < count; i++)
        {
            var clock = Stopwatch.StartNew();
            var version = simulator.Store.Update("contact", rows[i].Id, new Dictionary<string, object?> { ["lastname"] = $"Hinted {i}" });
            while (await MaxVersionAsync("contact") < version)
            {
                clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(20), "the hint should have woken the 60 s poll long before");
                await Task.Delay(20);
            }

            lags.Add(clock.Elapsed);
            await Task.Delay(300); // past the coalescing window, so each change stands alone
        }

        output.WriteLine("lags (s): " + string.Join(", ", lags.Select(l => l.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture))));
        return lags;
    }

    private static void AssertFast(List<TimeSpan> lags)
    {
        // The acceptance figure is 2 s; the bound on every single change leaves room for a loaded shared machine.
        lags.Order().ElementAt(lags.Count / 2).Should().BeLessThan(TimeSpan.FromSeconds(2));
        lags.Should().OnlyContain(l => l < TimeSpan.FromSeconds(10), "without a hint the change would wait for the 60 s poll");
    }

    private async Task<long> MaxVersionAsync(string table)
    {
        var value = (await _database.QueryAsync($"SELECT MAX(versionnumber) FROM \"{table}\"")).SingleOrDefault();
        return value is null ? 0 : long.Parse(value, CultureInfo.InvariantCulture);
    }

    private static async Task<IReadOnlyList<string>> CompareAsync(SimulatorHost simulator, HintedWorker worker)
    {
        var all = new List<string>();
        foreach (var entity in Entities)
        {
            all.AddRange(await ReplicaComparer.CompareAsync(simulator.Store, worker.Source, worker.Target, entity));
        }

        return all;
    }
}
