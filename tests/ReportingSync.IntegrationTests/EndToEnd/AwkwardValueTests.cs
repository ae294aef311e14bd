using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.EndToEnd;

/// <summary>Strings that break naive SQL or encodings round-trip exactly, on every target.</summary>
public sealed class AwkwardValueTests
{
    public static TheoryData<string> Values => new()
    {
        "O'Brien; DROP TABLE contact;--",
        "bracket ] and [ and \"double\" quotes",
        "emoji 👩‍🏫📚 and surrogate 𝄞",
        "right-to-left: מורה و معلم",
        "tab\tnewline\ncarriage\rbackslash\\",
    };

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task Awkward_strings_round_trip_exactly(string provider)
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Entities = ["contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 50 },
        });
        await using var sqlite = await SqliteDatabase.CreateAsync();
        var connectionString = provider == "Sqlite" ? sqlite.ConnectionString : await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();
        var ids = simulator.Store.Snapshot("contact").Take(Values.Count).Select(r => r.Id).ToList();
        var index = 0;
        foreach (var value in Values)
        {
            simulator.Store.Update("contact", ids[index++], new Dictionary<string, object?> { ["lastname"] = value, ["description"] = value });
        }

        await using var worker = InProcessWorker.For(new Uri(simulator.BaseUrl), provider, connectionString, ["contact"]);
        var outcomes = await worker.RunOnceAsync();

        outcomes.Should().OnlyContain(o => o.Succeeded, string.Join("; ", outcomes.Select(o => o.ToString())));
        await ReplicaComparer.AssertEqualAsync(simulator.Store, worker.Source, worker.Target, ["contact"]);
    }

    [Theory]
    [InlineData("Sqlite")]
    [InlineData("PostgreSql")]
    public async Task A_NUL_character_the_database_cannot_hold_quarantines_that_row_and_the_rest_carries_on(string provider)
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Entities = ["contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 50 },
        });
        await using var sqlite = await SqliteDatabase.CreateAsync();
        var connectionString = provider == "Sqlite" ? sqlite.ConnectionString : await (await PostgresCluster.GetSharedAsync()).CreateDatabaseAsync();
        var poisoned = simulator.Store.Snapshot("contact")[7].Id;
        simulator.Store.Update("contact", poisoned, new Dictionary<string, object?> { ["description"] = "nul \0 inside" });

        await using var worker = InProcessWorker.For(new Uri(simulator.BaseUrl), provider, connectionString, ["contact"]);
        var outcomes = await worker.RunOnceAsync();

        outcomes.Should().OnlyContain(o => o.Succeeded, "one poison row must not block the entity");
        var quarantined = await worker.Target.LoadQuarantineAsync("contact", CancellationToken.None);
        quarantined.Should().ContainSingle().Which.Should().Match<ReportingSync.Target.QuarantinedRow>(q => q.RecordId == poisoned && q.ColumnName == "description" && q.Reason.Contains("NUL"));
        var differences = await ReplicaComparer.CompareAsync(simulator.Store, worker.Source, worker.Target, "contact");
        differences.Should().ContainSingle().Which.Should().Contain(poisoned.ToString()).And.Contain("not in the target");
    }
}
