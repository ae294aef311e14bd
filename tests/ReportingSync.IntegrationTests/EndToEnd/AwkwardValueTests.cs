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
}
