using System.Text.Json;

namespace ReportingSync.Tests.Simulator.Support;

/// <summary>Reads the reference JSON straight from the repository, independently of the simulator's own loader.</summary>
internal static class ReferenceFiles
{
    public static JsonElement Tables() => Load("dqt-reporting-tables.json").GetProperty("tables");

    public static JsonElement OptionSets() => Load("dqt-option-sets.json").GetProperty("optionSets");

    private static JsonElement Load(string name)
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ReportingSync.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory!.FullName, "src", "ReportingSync.DataverseSimulator", "Model", "Reference", name);
        return JsonDocument.Parse(File.ReadAllText(path)).RootElement.Clone();
    }
}
