using System.Text.RegularExpressions;
using ReportingSync.IntegrationTests.Harness;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.EndToEnd;

/// <summary>The README's first command, as a user runs it (output redirected, so the plain view).</summary>
public sealed partial class DemoTests
{
    [Fact]
    public async Task The_demo_seeds_streams_and_ends_with_the_replica_matching_the_source()
    {
        using var temp = new TempDirectory("reportingsync-demo-");
        var database = temp.File("demo.db");

        var (exitCode, output) = await WorkerProcess.RunAsync(
            TimeSpan.FromMinutes(3), "demo", "--rows", "400", "--rate", "30", "--duration", "4", "--database", database);

        exitCode.Should().Be(0, output);
        output.Should().Contain("Seed: ").And.MatchRegex(@"end-to-end lag over [1-9][\d,]* rows");
        foreach (Match row in SummaryRow().Matches(output))
        {
            row.Groups["source"].Value.Should().Be(row.Groups["target"].Value, $"{row.Groups["entity"].Value} must match after the final pass:\n{output}");
        }

        SummaryRow().Matches(output).Should().HaveCount(7, output);
        File.Exists(database).Should().BeTrue();
    }

    [Fact]
    public async Task A_second_demo_in_the_same_folder_starts_clean_and_streams_every_table()
    {
        using var temp = new TempDirectory("reportingsync-demo-");
        var database = temp.File("demo.db");
        string[] demo = ["demo", "--rows", "200", "--rate", "20", "--duration", "3", "--database", database];

        var (firstExit, firstOutput) = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(3), demo);
        firstExit.Should().Be(0, firstOutput);

        // A new simulator on a new port, a new organisation: the first demo's links and rows describe data that is gone.
        var (exitCode, output) = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(3), demo);

        exitCode.Should().Be(0, output);
        output.Should().Contain("Starting from a clean database").And.NotContain("Failed").And.NotContain("HTTP 0");
        SummaryRow().Matches(output).Should().HaveCount(7, output);
        foreach (Match row in SummaryRow().Matches(output))
        {
            row.Groups["source"].Value.Should().Be(row.Groups["target"].Value, $"{row.Groups["entity"].Value} must match after the second demo:\n{output}");
        }
    }

    [Fact]
    public async Task The_demo_will_not_overwrite_a_file_that_is_not_a_replica()
    {
        using var temp = new TempDirectory("reportingsync-demo-");
        var database = temp.File("notes.db");
        await File.WriteAllTextAsync(database, "an analyst's notes");

        var (exitCode, output) = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(1), "demo", "--rows", "10", "--database", database);

        exitCode.Should().Be(2, output);
        output.Should().Contain("is not a ReportingSync database");
        (await File.ReadAllTextAsync(database)).Should().Be("an analyst's notes");
    }

    [Theory]
    [InlineData("--rows", "0", "--rows must be between 1 and 5000000; it is 0.")]
    [InlineData("--seed-latency", "-5", "--seed-latency must be between 0 and 60000 milliseconds; it is -5.")]
    public async Task A_bad_demo_option_is_named(string option, string value, string message)
    {
        var (exitCode, output) = await WorkerProcess.RunAsync(TimeSpan.FromMinutes(1), "demo", option, value);

        exitCode.Should().NotBe(0);
        output.Should().Contain(message);
    }

    [GeneratedRegex(@"^(?<entity>[a-z_]+)\s+Streaming\s+(?<source>[\d,]+)\s+(?<target>[\d,]+)\s*$", RegexOptions.Multiline)]
    private static partial Regex SummaryRow();
}
