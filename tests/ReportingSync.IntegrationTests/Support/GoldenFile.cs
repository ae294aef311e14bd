using System.Runtime.CompilerServices;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// Compares generated text with a file committed in the repository (a golden file, or a reference script under
/// <c>sql/</c>), so a change to generated SQL shows up in review. With <c>REPORTINGSYNC_UPDATE_GOLDEN=1</c> the files are
/// (re)written instead: <c>REPORTINGSYNC_UPDATE_GOLDEN=1 dotnet test tests/ReportingSync.IntegrationTests --filter "Golden|ReferenceScripts|DesSchema"</c>.
/// Paths are relative to the calling source file, so the tests read the checkout they were built from.
/// </summary>
public static class GoldenFile
{
    public const string UpdateVariable = "REPORTINGSYNC_UPDATE_GOLDEN";

    public static void Verify(string relativePath, string actual, [CallerFilePath] string callerFile = "")
    {
        var path = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(callerFile)!, relativePath));
        actual = actual.ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
            return;
        }

        File.Exists(path).Should().BeTrue($"{path} should exist; create it by running the tests with {UpdateVariable}=1");
        actual.Should().Be(
            File.ReadAllText(path).ReplaceLineEndings("\n"),
            $"{relativePath} is what the code generates; if the change is intended, regenerate it with {UpdateVariable}=1 and review the diff");
    }
}
