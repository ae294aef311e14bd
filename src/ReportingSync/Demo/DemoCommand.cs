using System.CommandLine;
using ReportingSync.Cli;

namespace ReportingSync.Demo;

/// <summary>
/// <c>reportingsync demo</c>: the whole product on one machine with nothing installed — a Dataverse simulator in
/// process, the embedded SQLite target, a steady change rate, and a live view of seed progress and lag.
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var rows = new Option<int>("--rows") { Description = "Contacts to generate (the other tables scale with it).", DefaultValueFactory = _ => 20_000 };
        var rate = new Option<double>("--rate") { Description = "Changes per second made in the simulator once the seed is done.", DefaultValueFactory = _ => 20 };
        var database = new Option<FileInfo>("--database") { Description = "The SQLite file to write.", DefaultValueFactory = _ => new FileInfo("reportingsync-demo.db") };
        var latency = new Option<int>("--seed-latency") { Description = "Milliseconds the simulator takes to serve each 1,000 rows of a seed page, as a distant Dataverse would (about 600 for wide tables; 0: as fast as this machine).", DefaultValueFactory = _ => 0 };
        var duration = new Option<int>("--duration") { Description = "Stop after this many seconds of streaming (0: run until Ctrl+C).", DefaultValueFactory = _ => 0 };
        rows.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 5_000_000)
            {
                r.AddError($"--rows must be between 1 and 5000000; it is {r.GetValueOrDefault<int>()}.");
            }
        });
        rate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double>() is < 0 or > 10_000)
            {
                r.AddError($"--rate must be between 0 and 10000; it is {r.GetValueOrDefault<double>()}.");
            }
        });
        duration.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError($"--duration must be 0 or more seconds; it is {r.GetValueOrDefault<int>()}.");
            }
        });

        latency.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 0 or > 60_000)
            {
                r.AddError($"--seed-latency must be between 0 and 60000 milliseconds; it is {r.GetValueOrDefault<int>()}.");
            }
        });

        var command = new Command("demo", "Run the replicator against a built-in Dataverse simulator into a local SQLite file, with a live view. Ctrl+C stops it.")
        {
            rows, rate, database, duration, latency,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            var settings = new DemoSettings(
                parse.GetValue(rows),
                parse.GetValue(rate),
                parse.GetValue(database)!,
                parse.GetValue(duration) is var seconds and > 0 ? TimeSpan.FromSeconds(seconds) : null,
                TimeSpan.FromMilliseconds(parse.GetValue(latency)) / 1000);
            return StartupReporter.GuardAsync(
                parse.InvocationConfiguration.Error,
                () => DemoSession.RunAsync(settings, parse.InvocationConfiguration.Output, cancellationToken));
        });
        return command;
    }
}

/// <summary>What the user asked the demo for.</summary>
internal sealed record DemoSettings(int Contacts, double ChangesPerSecond, FileInfo Database, TimeSpan? Duration, TimeSpan RowLatency);
