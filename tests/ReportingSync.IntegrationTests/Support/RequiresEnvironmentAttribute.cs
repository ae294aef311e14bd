namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// Marks a test class whose <see cref="TargetFactAttribute"/> and <see cref="TargetTheoryAttribute"/> tests exist only
/// when <see cref="Variable"/> is set (for example a database this machine cannot run). When it is not set, those tests
/// are not discovered at all; the class says so once through a <see cref="SkippedUnlessEnvironmentFactAttribute"/> test.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class RequiresEnvironmentAttribute(string variable) : Attribute
{
    public string Variable { get; } = variable;

    public static bool IsSet(string variable) => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(variable));
}
