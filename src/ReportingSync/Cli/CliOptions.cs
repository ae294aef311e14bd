using System.CommandLine;

namespace ReportingSync.Cli;

/// <summary>Options shared by several commands.</summary>
internal static class CliOptions
{
    public static Option<FileInfo?> Config() => new("--config", "-c")
    {
        Description = "JSON settings file (same shape as appsettings.json). Environment variables ReportingSync__* override it.",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Write machine-readable JSON to stdout.",
    };
}
