using System.Runtime.CompilerServices;

namespace ReportingSync.IntegrationTests.Operations;

/// <summary>Files of the repository itself (the Helm chart, the Dockerfile), found from this source file's location.</summary>
internal static class RepositoryFiles
{
    public static string Root([CallerFilePath] string callerFile = "")
    {
        var directory = new DirectoryInfo(System.IO.Path.GetDirectoryName(callerFile)!);
        while (directory is not null && !File.Exists(System.IO.Path.Combine(directory.FullName, "ReportingSync.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new DirectoryNotFoundException($"No ReportingSync.sln above {callerFile}.");
    }

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root(), .. parts]);
}
