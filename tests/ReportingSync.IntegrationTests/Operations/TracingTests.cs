using System.Collections;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Engine;
using ReportingSync.Engine.Reconciliation;
using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Operations;

/// <summary>
/// The spans an operator's tracing backend receives, read through an OpenTelemetry in-memory exporter on the worker's
/// own TracerProvider while it seeds, streams, re-seeds and reconciles a table against the simulator (SQLite target).
/// </summary>
public sealed partial class TracingTests(ITestOutputHelper output)
{
    // An entity no other in-process test replicates: the ActivitySource is process-wide, so spans are told apart by it.
    private const string Entity = "dfeta_hesubject";
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task Page_reads_and_commits_a_reseed_and_a_reconciliation_are_spans_with_entity_rows_and_cursor_kind_and_no_link()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 77,
            Entities = [Entity, "systemuser", "transactioncurrency"],
            RowCounts = { [Entity] = 450 },
            MaxPageSize = 100,
        });
        await using var database = await SqliteDatabase.CreateAsync();
        var spans = new SpanLog();
        await using var worker = await OperationsWorker.StartAsync(
            simulator, "Sqlite", database.ConnectionString, [Entity], new Dictionary<string, string?> { ["ReportingSync:Reconciliation:Enabled"] = "false" }, spans);
        await worker.RunAsync();
        var supervisor = worker.Services.GetRequiredService<SyncSupervisor>();
        await Eventually.TrueAsync(() => supervisor.States.Single().Status == EntityStatus.Streaming, Settle, "the seed completes");

        simulator.ChangeGenerator.Step(20, [Entity]);
        await Eventually.TrueAsync(() => Ours(spans).Any(s => s.OperationName == "sync.page.commit" && s.GetTagItem("next.cursor.kind") as string == "DeltaLink"
            && (int)s.GetTagItem("rows")! > 0 && s.Parent is null), Settle, "a delta page with changes is committed");

        await supervisor.RequestReseedAsync([Entity], "tracing test", CancellationToken.None);
        await Eventually.TrueAsync(() => Ours(spans).Any(s => s.OperationName == "sync.reseed.swap"), Settle, "the re-seed swaps");
        await worker.Services.GetRequiredService<Reconciler>().RunAsync(Entity, new ReconcileRequest(), null, CancellationToken.None);

        var ours = Ours(spans);
        foreach (var group in ours.GroupBy(s => s.OperationName))
        {
            output.WriteLine($"{group.Key}: {group.Count()} spans, e.g. {string.Join(", ", group.First().TagObjects.Select(t => $"{t.Key}={t.Value}"))}");
        }

        // The seed: the first read, then next links, each page committed; the rows add up to the table.
        var seedReads = ours.Where(s => s.OperationName == "sync.page.read" && s.Parent is null).ToList();
        seedReads.Should().Contain(s => (string)s.GetTagItem("cursor.kind")! == "Initial" && (int)s.GetTagItem("rows")! == 100);
        seedReads.Should().Contain(s => (string)s.GetTagItem("cursor.kind")! == "NextLink");
        seedReads.Should().Contain(s => (string)s.GetTagItem("cursor.kind")! == "DeltaLink", "streaming reads from the delta link");
        // SQLite gathers seed pages that come back to back into fewer commits; each commit says how many pages it holds.
        var commits = ours.Where(s => s.OperationName == "sync.page.commit" && s.Parent is null).ToList();
        var seedCommits = commits.Take(commits.FindIndex(s => (string)s.GetTagItem("next.cursor.kind")! == "DeltaLink") + 1).ToList();
        seedCommits.Sum(s => (int)s.GetTagItem("rows")!).Should().Be(450, "the seed's commits hold the whole table");
        seedCommits.Sum(s => (int)s.GetTagItem("pages")!).Should().Be(5, "450 rows in pages of 100");
        ours.Where(s => s.OperationName == "sync.page.commit").Should().OnlyContain(s => s.Status == ActivityStatusCode.Ok && s.GetTagItem("rows.written") != null);

        // The re-seed: its shadow pages are read and committed under it, then the swap.
        var reseeds = ours.Where(s => s.OperationName == "sync.reseed").ToList();
        reseeds.Should().NotBeEmpty().And.OnlyContain(s => (string)s.GetTagItem("reseed.reason")! == "Command");
        ours.Should().Contain(s => s.OperationName == "sync.page.commit" && reseeds.Any(r => r.SpanId == s.ParentSpanId));
        var swap = ours.Single(s => s.OperationName == "sync.reseed.swap");
        reseeds.Select(r => r.SpanId).Should().Contain(swap.ParentSpanId);
        swap.GetTagItem("rows").Should().Be(Convert.ToInt64(simulator.Store.Count(Entity)), "the shadow table holds the whole table");

        // The reconciliation run.
        var reconcile = ours.Single(s => s.OperationName == "sync.reconcile");
        reconcile.GetTagItem("reconcile.mode").Should().Be("fast");
        reconcile.GetTagItem("reconcile.status").Should().Be("Clean");
        reconcile.GetTagItem("rows").Should().Be(swap.GetTagItem("rows"));

        // HTTP client spans under the page reads; query values are redacted, so no link or token is in any span.
        var readIds = ours.Where(s => s.OperationName == "sync.page.read").Select(s => s.SpanId).ToHashSet();
        var http = spans.Snapshot().Where(s => s.Kind == ActivityKind.Client && readIds.Contains(s.ParentSpanId)).ToList();
        http.Should().NotBeEmpty("each page read is an HTTP request to Dataverse");
        output.WriteLine("e.g. HTTP span: " + string.Join(", ", http[0].TagObjects.Select(t => $"{t.Key}={t.Value}")));
        var values = ours.Concat(http).SelectMany(s => s.TagObjects.Select(t => $"{s.OperationName} {t.Key}={t.Value}")).ToList();
        values.Should().NotContain(v => UnredactedToken().IsMatch(v), "paging cookies and delta tokens are secrets of the link");
        values.Should().NotContain(v => v.Contains(simulator.BaseUrl + "/api", StringComparison.Ordinal) && v.Contains("token", StringComparison.OrdinalIgnoreCase) && !v.Contains("Redacted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_standard_OTEL_variables_spans_and_metrics_are_pushed_to_the_OTLP_endpoint()
    {
        // A loopback OTLP/HTTP receiver: it only records which signal arrived (an empty 200 is a valid export answer).
        var received = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var receiver = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        receiver.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = receiver.Build();
        collector.MapPost("/v1/{signal}", (string signal) =>
        {
            received.Enqueue(signal);
            return Microsoft.AspNetCore.Http.Results.Ok();
        });
        await collector.StartAsync();
        var endpoint = collector.Urls.First();

        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 78,
            Entities = ["dfeta_sanctioncode", "systemuser", "transactioncurrency"],
            RowCounts = { ["dfeta_sanctioncode"] = 50 },
        });
        await using var database = await SqliteDatabase.CreateAsync();
        var worker = await OperationsWorker.StartAsync(simulator, "Sqlite", database.ConnectionString, ["dfeta_sanctioncode"], new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["ReportingSync:Reconciliation:Enabled"] = "false",
        });
        try
        {
            await worker.RunAsync();
            var supervisor = worker.Services.GetRequiredService<SyncSupervisor>();
            await Eventually.TrueAsync(() => supervisor.States.Single().Status == EntityStatus.Streaming, Settle, "the seed completes");
        }
        finally
        {
            // Stopping the worker flushes both providers.
            await worker.DisposeAsync();
        }

        output.WriteLine("received: " + string.Join(", ", received));
        received.Should().Contain("traces").And.Contain("metrics");
    }

    private static List<Activity> Ours(SpanLog spans) =>
        spans.Snapshot().Where(s => s.Source.Name == "ReportingSync" && s.GetTagItem("entity") as string == Entity).ToList();

    [GeneratedRegex("token=(?!Redacted)", RegexOptions.IgnoreCase)]
    private static partial Regex UnredactedToken();

    /// <summary>The in-memory exporter's collection, safe to read while the worker's threads add to it.</summary>
    private sealed class SpanLog : ICollection<Activity>
    {
        private readonly List<Activity> _items = [];

        public int Count { get { lock (_items) { return _items.Count; } } }

        public bool IsReadOnly => false;

        public List<Activity> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Add(Activity item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(Activity item) => Snapshot().Contains(item);

        public void CopyTo(Activity[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(Activity item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<Activity> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
