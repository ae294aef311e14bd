using System.Text.Json;
using System.Text.Json.Nodes;

namespace ReportingSync.IntegrationTests.Harness;

/// <summary>Writes a settings file for <c>reportingsync --config</c>, shaped like appsettings.json.</summary>
internal sealed class WorkerConfig
{
    public required string DataverseUrl { get; init; }
    public required string Provider { get; init; }
    public required string ConnectionString { get; init; }
    public required IReadOnlyList<string> Entities { get; init; }
    /// <summary>A fixed poll interval for every table (1 s by default); null leaves the adaptive one between the minimum and maximum.</summary>
    public TimeSpan? PollInterval { get; init; } = TimeSpan.FromSeconds(1);
    public int MaxRetries { get; init; } = 3;

    /// <summary>Short, so a restart after a kill takes the dead process's leases over within seconds.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Extra settings as "Section:Key" = value, e.g. "ReportingSync:SoftDeletes" = "true".</summary>
    public Dictionary<string, string> Extra { get; init; } = [];

    public string WriteTo(string directory)
    {
        var root = new JsonObject
        {
            ["Logging"] = new JsonObject { ["LogLevel"] = new JsonObject { ["Default"] = "Information", ["Microsoft"] = "Warning", ["System.Net.Http.HttpClient"] = "Warning" } },
            ["ReportingSync"] = new JsonObject
            {
                ["Dataverse"] = new JsonObject
                {
                    ["Url"] = DataverseUrl,
                    ["Auth"] = new JsonObject { ["Mode"] = "None" },
                    ["MaxRetries"] = MaxRetries,
                },
                ["Target"] = new JsonObject { ["Provider"] = Provider, ["ConnectionString"] = ConnectionString },
                ["Entities"] = new JsonArray(Entities.Select(e => (JsonNode)JsonValue.Create(e)!).ToArray()),
                ["LeaseDuration"] = LeaseDuration.ToString("c"),
            },
        };
        if (PollInterval is { } poll)
        {
            root["ReportingSync"]!["PollInterval"] = poll.ToString("c");
        }

        foreach (var (path, value) in Extra)
        {
            var parts = path.Split(':');
            var node = root;
            foreach (var part in parts[..^1])
            {
                node = (node[part] as JsonObject) ?? (JsonObject)(node[part] = new JsonObject());
            }

            node[parts[^1]] = value;
        }

        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, $"reportingsync-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return file;
    }
}
