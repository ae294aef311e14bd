using System.Globalization;
using Npgsql;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.Bench;

/// <summary>What every scenario shares: the scale, the PostgreSQL cluster, a scratch folder, the output.</summary>
internal sealed class BenchContext(BenchOptions options, PostgresCluster postgres, string scratch, TextWriter log)
{
    public BenchOptions Options => options;

    public PostgresCluster Postgres => postgres;

    /// <summary>Files of this run (configs, SQLite databases, the COPY file); deleted at the end.</summary>
    public string Scratch => scratch;

    public TextWriter Log => log;

    /// <summary>Rows of the contact-like seed: 1,000,000, or 100,000 with --quick.</summary>
    public int SeedRows => options.Scale(1_000_000);

    /// <summary>Seeds behind an issue 17 target run this often and report the median run: 3, or 1 with --quick.</summary>
    public int TargetRuns => options.Quick ? 1 : 3;

    public Task<string> CreateDatabaseAsync() => postgres.CreateDatabaseAsync();

    public void Say(string message) => log.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");

    public static async Task<T> ScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Command-line options of the bench.</summary>
internal sealed record BenchOptions
{
    public bool Quick { get; init; }

    /// <summary>Scenario numbers to run (1-10); empty runs all.</summary>
    public IReadOnlySet<int> Only { get; init; } = new HashSet<int>();

    /// <summary>Where the JSON goes; default bench/results/latest.json (quick runs: quick.json, so they never overwrite a full run).</summary>
    public string? Output { get; init; }

    public int Scale(int full) => Quick ? full / 10 : full;

    public bool Runs(int scenario) => Only.Count == 0 || Only.Contains(scenario);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--quick" => options with { Quick = true },
                "--only" when i + 1 < args.Length => options with
                {
                    Only = args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToHashSet(),
                },
                "--out" when i + 1 < args.Length => options with { Output = args[++i] },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. Usage: bench/run.sh [--quick] [--only 1,5,6] [--out FILE]"),
            };
        }

        return options;
    }
}
