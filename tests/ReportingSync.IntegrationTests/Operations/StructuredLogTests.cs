using System.Text.Json;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.Operations;

/// <summary>What a log pipeline receives from the real executable with the JSON console formatter switched on.</summary>
public sealed class StructuredLogTests
{
    [Fact]
    public async Task With_the_json_formatter_each_page_logs_at_Debug_and_each_cycle_at_Information_with_entity_rows_duration_and_cursor_age()
    {
        using var temp = new TempDirectory("reportingsync-jsonlog-");
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 73,
            Entities = ["dfeta_employment", "contact", "systemuser", "transactioncurrency"],
            RowCounts = { ["dfeta_employment"] = 600, ["contact"] = 50 },
            MaxPageSize = 250,
        });
        var config = new WorkerConfig
        {
            DataverseUrl = simulator.BaseUrl,
            Provider = "Sqlite",
            ConnectionString = $"Data Source={temp.File("jsonlog.db")}",
            Entities = ["dfeta_employment"],
            Extra =
            {
                ["Logging:Console:FormatterName"] = "json",
                ["Logging:LogLevel:ReportingSync"] = "Debug",
            },
        }.WriteTo(temp.Path);

        var (exitCode, output) = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(2), "run", "--config", config, "--once");
        exitCode.Should().Be(0, output);

        var entries = output.Split('\n').Select(l => l.Trim()).Where(l => l.StartsWith('{'))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        entries.Should().NotBeEmpty("with FormatterName=json every log entry is one JSON object per line. Output:\n" + output);

        var pages = entries.Where(e => e.GetProperty("EventId").GetInt32() == 1010).ToList();
        pages.Should().HaveCountGreaterThanOrEqualTo(3, "600 rows in pages of 250 commit three seed pages");
        pages.Should().OnlyContain(e => e.GetProperty("LogLevel").GetString() == "Debug");
        var page = pages[0].GetProperty("State");
        page.GetProperty("Entity").GetString().Should().Be("dfeta_employment");
        page.GetProperty("Upserts").GetInt32().Should().BeGreaterThan(0);
        page.TryGetProperty("Milliseconds", out _).Should().BeTrue();

        var cycle = entries.First(e => e.GetProperty("EventId").GetInt32() == 1011);
        cycle.GetProperty("LogLevel").GetString().Should().Be("Information");
        var state = cycle.GetProperty("State");
        state.GetProperty("Entity").GetString().Should().Be("dfeta_employment");
        state.GetProperty("Upserts").GetInt64().Should().Be(600);
        state.TryGetProperty("Milliseconds", out _).Should().BeTrue();
        state.TryGetProperty("LagSeconds", out _).Should().BeTrue();
    }
}
