using ReportingSync.IntegrationTests.Support;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Target;

/// <summary>Quarantine: rows a column cannot hold never fail a page and are never truncated.</summary>
public abstract partial class TargetScenarios
{
    [TargetFact]
    public async Task Values_a_column_cannot_hold_are_quarantined_and_the_rest_of_the_page_commits()
    {
        var layout = TestSchemas.EverythingLayout();
        await Target.EnsureTableAsync(layout, Ct);
        var good = new List<object?[]>();
        var expected = new List<(Guid Id, long Version, string Column, string Reason)>();
        foreach (var mode in new[] { WriteMode.BulkLoad, WriteMode.Upsert })
        {
            var page = new List<object?[]> { TestRows.Typical(layout, Guid.NewGuid(), 1, seed: 1), TestRows.Typical(layout, Guid.NewGuid(), 1, seed: 2) };
            good.AddRange(page);
            var version = 10L;
            foreach (var (column, value, reason) in UnholdableValues)
            {
                var bad = TestRows.Typical(layout, Guid.NewGuid(), ++version, seed: 3);
                bad[layout.IndexOf(column)] = value;
                page.Insert(1, bad);
                expected.Add(((Guid)bad[0]!, version, column, reason));
            }

            var result = await CommitAsync(layout, page, mode: mode);

            result.Should().Be(new CommitResult(2, 0, UnholdableValues.Count), mode.ToString());
        }

        AssertRows(layout, await ReadAsync(layout), TestRows.OrderById(good, layout).ToList());
        var quarantine = await Target.LoadQuarantineAsync("account", Ct);
        quarantine.Should().HaveCount(expected.Count);
        foreach (var (id, version, column, reason) in expected)
        {
            var entry = quarantine.Single(q => q.RecordId == id);
            (entry.EntityName, entry.VersionNumber, entry.ColumnName, entry.AtUtc).Should().Be(("account", version, column, Time.GetUtcNow().UtcDateTime));
            entry.Reason.Should().Contain(reason);
        }

        var texts = UnholdableValues.Select(v => v.Value).OfType<string>().ToList();
        quarantine.Should().OnlyContain(q => !texts.Any(t => q.Reason.Contains(t, StringComparison.Ordinal)), "reasons never carry the value (it may be personal data)");
    }

    [TargetFact]
    public async Task A_quarantine_entry_keeps_the_latest_version_and_goes_when_a_version_that_fits_arrives()
    {
        var layout = await SmallTableAsync();
        var id = Guid.NewGuid();

        (await CommitAsync(layout, [TestRows.Small(layout, id, 5, UnholdableName)])).RowsQuarantined.Should().Be(1);
        (await CommitAsync(layout, [TestRows.Small(layout, id, 4, UnholdableName)])).RowsQuarantined.Should().Be(0, "an older version does not replace the entry");
        (await CommitAsync(layout, [TestRows.Small(layout, id, 6, UnholdableName)])).RowsQuarantined.Should().Be(1);
        (await Target.LoadQuarantineAsync("contact", Ct)).Should().ContainSingle().Which.VersionNumber.Should().Be(6);

        (await CommitAsync(layout, [TestRows.Small(layout, id, 7, "fits")])).Should().Be(new CommitResult(1, 0, 0));

        (await Target.LoadQuarantineAsync("contact", Ct)).Should().BeEmpty();
        (await ReadAsync(layout)).Single()[1].Should().Be("fits");
        (await CommitAsync(layout, [TestRows.Small(layout, id, 3, UnholdableName)])).RowsQuarantined.Should().Be(0, "the table holds a newer version: the row is stale");
        (await Target.LoadQuarantineAsync("contact", Ct)).Should().BeEmpty();
    }

    [TargetFact]
    public async Task Deleting_a_quarantined_record_clears_its_entry()
    {
        var layout = await SmallTableAsync();
        var kept = Guid.NewGuid();
        var deleted = Guid.NewGuid();
        await CommitAsync(layout, [TestRows.Small(layout, kept, 1, UnholdableName), TestRows.Small(layout, deleted, 1, UnholdableName)]);

        await CommitAsync(layout, [], deletes: [deleted]);

        (await Target.LoadQuarantineAsync("contact", Ct)).Select(q => q.RecordId).Should().Equal(kept);
        (await Target.LoadQuarantineAsync("account", Ct)).Should().BeEmpty();
    }
}
