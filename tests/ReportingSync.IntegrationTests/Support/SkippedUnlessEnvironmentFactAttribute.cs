namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// A fact skipped, with one clear message, when <paramref name="variable"/> is not set; xunit prints the message as one
/// "[SKIP]" line, which is how a suite gated by <see cref="RequiresEnvironmentAttribute"/> reports that it did not run.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SkippedUnlessEnvironmentFactAttribute : FactAttribute
{
    public SkippedUnlessEnvironmentFactAttribute(string variable, string what)
    {
        if (!RequiresEnvironmentAttribute.IsSet(variable))
        {
            Skip = $"{what} skipped: set {variable} to run them.";
        }
    }
}
