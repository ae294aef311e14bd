using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.IntegrationTests.Support;

namespace ReportingSync.IntegrationTests.EndToEnd;

/// <summary>
/// PII controls: masked columns hold HMAC-SHA256(key, value) — joinable, countable, never the identifier itself — and
/// the rest of the row is replicated as usual.
/// </summary>
public sealed class MaskTests
{
    private const string MaskKey = "mask-key-for-tests";
    private static readonly string[] Masked = ["emailaddress1", "dfeta_ninumber", "birthdate"];

    [Fact]
    public async Task Masked_columns_hold_a_keyed_hash_of_the_source_value_and_never_the_value()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Seed = 71,
            Entities = ["contact", "account", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 400, ["account"] = 50 },
        });
        await using var database = await SqliteDatabase.CreateAsync();
        await using var worker = InProcessWorker.For(new Uri(simulator.BaseUrl), "Sqlite", database.ConnectionString, [], Settings(MaskKey));

        (await worker.RunOnceAsync()).Should().OnlyContain(o => o.Succeeded);

        var source = simulator.Store.Snapshot("contact").ToDictionary(r => r.Id);
        var rows = await ReadAsync(database.ConnectionString, "SELECT Id, emailaddress1, dfeta_ninumber, birthdate, lastname FROM contact");
        rows.Should().HaveCount(source.Count);
        var hashed = 0;
        foreach (var row in rows)
        {
            var expected = source[Guid.Parse(row[0]!)];
            row[1].Should().Be(Hash(expected["emailaddress1"] as string), "a text value is hashed exactly as Dataverse sent it");
            row[2].Should().Be(Hash(expected["dfeta_ninumber"] as string));
            for (var i = 1; i <= 3; i++)
            {
                if (row[i] is { } value)
                {
                    value.Should().MatchRegex("^[0-9a-f]{64}$");
                    hashed++;
                }
            }

            (row[3] is null).Should().Be(expected["birthdate"] is null, "a missing value stays missing");
            row[4].Should().Be(expected["lastname"] as string, "unmasked columns are replicated as usual");
        }

        hashed.Should().BeGreaterThan(source.Count, "the simulator fills these columns on most rows");
        var plain = source.Values.SelectMany(r => Masked.Select(m => r[m]?.ToString())).Where(v => v is not null).ToHashSet();
        rows.SelectMany(r => r.Skip(1).Take(3)).Should().NotContain(v => v != null && plain.Contains(v));
    }

    [Fact]
    public async Task Masking_without_a_key_or_of_a_choice_column_is_refused_naming_the_problem()
    {
        await using var simulator = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Entities = ["contact", "account", "systemuser", "transactioncurrency"],
            RowCounts = { ["contact"] = 20, ["account"] = 5 },
        });
        await using var database = await SqliteDatabase.CreateAsync();

        await using (var noKey = InProcessWorker.For(new Uri(simulator.BaseUrl), "Sqlite", database.ConnectionString, [], Settings(null)))
        {
            var act = () => noKey.RunOnceAsync();
            (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("ReportingSync:MaskKey is required");
        }

        var settings = Settings(MaskKey);
        settings["ReportingSync:Entities:0:Mask:3"] = "gendercode";
        await using var choice = InProcessWorker.For(new Uri(simulator.BaseUrl), "Sqlite", database.ConnectionString, [], settings);
        var startup = () => choice.RunOnceAsync();
        (await startup.Should().ThrowAsync<Engine.StartupException>()).Which.Message.Should().Contain("'gendercode' of type Picklist cannot be masked");
    }

    private static Dictionary<string, string?> Settings(string? key)
    {
        var settings = new Dictionary<string, string?> { ["ReportingSync:Entities:0:Name"] = "contact", ["ReportingSync:MaskKey"] = key };
        for (var i = 0; i < Masked.Length; i++)
        {
            settings[$"ReportingSync:Entities:0:Mask:{i}"] = Masked[i];
        }

        return settings;
    }

    private static string? Hash(string? value) =>
        value is null ? null : Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(MaskKey), Encoding.UTF8.GetBytes(value)));

    private static async Task<List<string?[]>> ReadAsync(string connectionString, string sql)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string?[]>();
        while (await reader.ReadAsync())
        {
            var row = new string?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i).ToString();
            }

            rows.Add(row);
        }

        return rows;
    }
}
