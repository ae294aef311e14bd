using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;
using ReportingSync.Engine;
using ReportingSync.Model;

namespace ReportingSync.Tests.Engine;

public sealed class SyncMetricsTests
{
    [Fact]
    public void A_waiting_reseed_reports_each_object_it_waits_for_until_nothing_blocks_it()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        var metrics = new SyncMetrics(factory, new FakeTimeProvider());
        using var blocked = new MetricCollector<int>(factory, SyncMetrics.MeterName, "reportingsync.reseed.blocked");
        var waiting = new EntityState
        {
            EntityName = "contact",
            Status = EntityStatus.Reseeding,
            ReseedBlocked = new ReseedBlock(new DateTime(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc),
            [
                new BlockingObject("view analytics.teachers", "it is owned by analyst.", "Grant analyst to reportingsync_writer."),
                new BlockingObject("policy region_only on table contact", "it uses column dfeta_trn.", "Drop it."),
            ]),
        };

        metrics.Observe(waiting, null);
        blocked.RecordObservableInstruments();

        blocked.GetMeasurementSnapshot().Select(m => ((string?)m.Tags["entity"], (string?)m.Tags["object"], m.Value))
            .Should().BeEquivalentTo([("contact", "view analytics.teachers", 1), ("contact", "policy region_only on table contact", 1)]);

        metrics.Observe(waiting with { Status = EntityStatus.Streaming, ReseedBlocked = null }, null);
        blocked.Clear();
        blocked.RecordObservableInstruments();
        blocked.GetMeasurementSnapshot().Should().BeEmpty("the swap went through");
    }
}
