using System.Globalization;
using ReportingSync.DataverseSimulator.Hosting;

namespace ReportingSync.DataverseSimulator;

/// <summary>
/// Runs the simulator standalone: <c>--port 5555 --rows contact=100000,account=500 --seed 7 --latency-ms 50 --cell-latency-us 10
/// --requests-per-window 6000 --window-seconds 300 --max-concurrency 52 --entities contact,account
/// --changes-per-second 5 --retention-days 7 --dop 4 --organization-id GUID
/// --currency-precision 4 --pricing-precision 2 --quiet</c>. Prints the organisation URL and runs until Ctrl+C.
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        SimulatorOptions options;
        double changesPerSecond;
        try
        {
            (options, changesPerSecond) = Parse(args);
        }
        catch (Exception e) when (e is ArgumentException or FormatException)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 2;
        }

        using var shutdown = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            shutdown.Cancel();
        };

        await using var host = await SimulatorHost.StartAsync(options, shutdown.Token);
        Console.WriteLine(host.BaseUrl);
        Console.WriteLine($"Web API: {host.WebApiUrl}   admin: {host.BaseUrl}/admin/status");
        if (changesPerSecond > 0)
        {
            host.ChangeGenerator.Start(changesPerSecond);
        }

        try
        {
            await Task.Delay(Timeout.Infinite, shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C: the normal way to stop.
        }

        return 0;
    }

    private static (SimulatorOptions Options, double ChangesPerSecond) Parse(string[] args)
    {
        var options = new SimulatorOptions { ConsoleLogging = true };
        var changesPerSecond = 0.0;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int NextInt() => int.Parse(Next(), CultureInfo.InvariantCulture);
            double NextDouble() => double.Parse(Next(), CultureInfo.InvariantCulture);
            switch (args[i])
            {
                case "--port":
                    options.Port = NextInt();
                    break;
                case "--seed":
                    options.Seed = NextInt();
                    break;
                case "--rows":
                    foreach (var pair in Next().Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var parts = pair.Split('=');
                        options.RowCounts[parts[0]] = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    }

                    break;
                case "--entities":
                    options.Entities = Next().Split(',', StringSplitOptions.RemoveEmptyEntries);
                    break;
                case "--latency-ms":
                    options.PageLatency = TimeSpan.FromMilliseconds(NextDouble());
                    break;
                case "--cell-latency-us":
                    options.CellLatency = TimeSpan.FromMicroseconds(NextDouble());
                    break;
                case "--requests-per-window":
                    options.Limits.RequestsPerWindow = NextInt();
                    break;
                case "--window-seconds":
                    options.Limits.Window = TimeSpan.FromSeconds(NextDouble());
                    break;
                case "--max-concurrency":
                    options.Limits.MaxConcurrency = NextInt();
                    break;
                case "--retention-days":
                    options.ChangeRetention = TimeSpan.FromDays(NextDouble());
                    break;
                case "--max-page-size":
                    options.MaxPageSize = NextInt();
                    break;
                case "--dop":
                    options.DopHint = NextInt();
                    break;
                case "--changes-per-second":
                    changesPerSecond = NextDouble();
                    break;
                case "--currency-precision":
                    options.CurrencyPrecision = NextInt();
                    break;
                case "--pricing-precision":
                    options.PricingDecimalPrecision = NextInt();
                    break;
                case "--organization-id":
                    options.OrganizationId = Guid.Parse(Next());
                    break;
                case "--quiet":
                    options.ConsoleLogging = false;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]}.");
            }
        }

        return (options, changesPerSecond);
    }
}
