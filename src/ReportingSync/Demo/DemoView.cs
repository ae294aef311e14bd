using System.Globalization;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Model;
using Spectre.Console;

namespace ReportingSync.Demo;

/// <summary>
/// Shows the demo's progress: a redrawn table on a terminal, one plain line every few seconds when the output is
/// redirected (CI logs, pipes), and a summary at the end either way.
/// </summary>
internal abstract class DemoView(TextWriter output)
{
    protected TextWriter Output { get; } = output;

    public static DemoView Create(TextWriter output, DemoSettings settings, string simulatorUrl)
    {
        var interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        output.WriteLine($"Dataverse simulator at {simulatorUrl} ({settings.Contacts.ToString("N0", CultureInfo.InvariantCulture)} contacts); replicating into {settings.Database.FullName}.");
        output.WriteLine(settings.Duration is { } d
            ? $"Seeding, then {settings.ChangesPerSecond} changes/s for {d.TotalSeconds:0} s."
            : $"Seeding, then {settings.ChangesPerSecond} changes/s until Ctrl+C.");
        return interactive ? new LiveDemoView(output) : new PlainDemoView(output);
    }

    public abstract void Render(IReadOnlyList<EntityState> states, IReadOnlyDictionary<string, long> rows, SimulatorHost simulator, LagSummary lag, TimeSpan? seedTime, long seededRows);

    public async Task SummarizeAsync(IReadOnlyList<EntityState> states, IReadOnlyDictionary<string, long> rows, SimulatorHost simulator, LagSummary lag, TimeSpan? seedTime, long seededRows)
    {
        await Output.WriteLineAsync().ConfigureAwait(false);
        await Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{"entity",-30}{"status",-12}{"source rows",12}{"target rows",12}")).ConfigureAwait(false);
        foreach (var (entity, _) in DemoSession.Tables)
        {
            var state = states.FirstOrDefault(s => s.EntityName == entity);
            await Output.WriteLineAsync(string.Create(
                CultureInfo.InvariantCulture,
                $"{entity,-30}{state?.Status.ToString() ?? "-",-12}{simulator.Store.Count(entity),12:N0}{rows.GetValueOrDefault(entity),12:N0}")).ConfigureAwait(false);
        }

        if (seedTime is { } t)
        {
            await Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Seed: {seededRows:N0} rows in {t.TotalSeconds:0.0} s ({seededRows / Math.Max(t.TotalSeconds, 0.001):N0} rows/s).")).ConfigureAwait(false);
        }

        await Output.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture,
            $"Streaming: {simulator.ChangeGenerator.ChangesMade:N0} changes made in the source; end-to-end lag over {lag.Count:N0} rows: p50 {lag.P50:0.00} s, p95 {lag.P95:0.00} s, p99 {lag.P99:0.00} s, max {lag.Max:0.00} s.")).ConfigureAwait(false);
        foreach (var failed in states.Where(s => s.Status == EntityStatus.Failed))
        {
            await Output.WriteLineAsync($"{failed.EntityName} failed: {failed.LastError}").ConfigureAwait(false);
        }
    }

    protected static string Progress(IReadOnlyList<EntityState> states, IReadOnlyDictionary<string, long> rows, SimulatorHost simulator)
    {
        var source = DemoSession.Tables.Sum(t => (long)simulator.Store.Count(t.Entity));
        var copied = rows.Values.Sum();
        return string.Create(CultureInfo.InvariantCulture, $"{copied:N0} of {source:N0} rows in the target");
    }
}

/// <summary>A table redrawn in place every second.</summary>
internal sealed class LiveDemoView(TextWriter output) : DemoView(output)
{
    public override void Render(IReadOnlyList<EntityState> states, IReadOnlyDictionary<string, long> rows, SimulatorHost simulator, LagSummary lag, TimeSpan? seedTime, long seededRows)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("entity").AddColumn("status").AddColumn(new Spectre.Console.TableColumn("source rows").RightAligned())
            .AddColumn(new Spectre.Console.TableColumn("target rows").RightAligned()).AddColumn("seed");
        foreach (var (entity, _) in DemoSession.Tables)
        {
            var state = states.FirstOrDefault(s => s.EntityName == entity);
            var source = simulator.Store.Count(entity);
            var target = rows.GetValueOrDefault(entity);
            var status = state?.Status ?? EntityStatus.New;
            var colour = status switch
            {
                EntityStatus.Streaming => "green",
                EntityStatus.Failed => "red",
                _ => "yellow",
            };
            var seed = state?.SeedCompletedUtc is not null ? "done" : Bar(state?.SeedRowsCopied ?? 0, source);
            table.AddRow(Markup.Escape(entity), $"[{colour}]{status}[/]", source.ToString("N0", CultureInfo.InvariantCulture), target.ToString("N0", CultureInfo.InvariantCulture), seed);
        }

        AnsiConsole.Clear();
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine(Markup.Escape(Progress(states, rows, simulator)));
        if (seedTime is { } t)
        {
            AnsiConsole.MarkupLine(Markup.Escape(string.Create(CultureInfo.InvariantCulture, $"Seeded {seededRows:N0} rows in {t.TotalSeconds:0.0} s. Changes made: {simulator.ChangeGenerator.ChangesMade:N0}. Lag p50 {lag.P50:0.00} s, p95 {lag.P95:0.00} s, max {lag.Max:0.00} s.")));
        }

        AnsiConsole.MarkupLine("[grey]Ctrl+C to stop.[/]");
    }

    private static string Bar(long done, long total)
    {
        var share = total == 0 ? 0 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)(share * 20);
        return new string('#', filled) + new string('.', 20 - filled) + string.Create(CultureInfo.InvariantCulture, $" {share:P0}");
    }
}

/// <summary>One line every five seconds, for logs.</summary>
internal sealed class PlainDemoView(TextWriter output) : DemoView(output)
{
    private DateTime _last = DateTime.MinValue;

    public override void Render(IReadOnlyList<EntityState> states, IReadOnlyDictionary<string, long> rows, SimulatorHost simulator, LagSummary lag, TimeSpan? seedTime, long seededRows)
    {
        var now = DateTime.UtcNow;
        if (now - _last < TimeSpan.FromSeconds(5))
        {
            return;
        }

        _last = now;
        var phase = seedTime is null
            ? $"seeding, {states.Count(s => s.SeedCompletedUtc is not null)} of {DemoSession.Tables.Length} tables done"
            : string.Create(CultureInfo.InvariantCulture, $"streaming, {simulator.ChangeGenerator.ChangesMade:N0} changes so far, lag p50 {lag.P50:0.00} s p95 {lag.P95:0.00} s");
        Output.WriteLine($"{now:HH:mm:ss} {phase}; {Progress(states, rows, simulator)}");
    }
}
