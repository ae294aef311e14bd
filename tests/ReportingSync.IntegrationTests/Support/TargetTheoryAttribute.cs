using Xunit.Sdk;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>A <see cref="TheoryAttribute"/> that honours <see cref="RequiresEnvironmentAttribute"/> on the test class.</summary>
[XunitTestCaseDiscoverer("ReportingSync.IntegrationTests.Support.TargetTheoryDiscoverer", "ReportingSync.IntegrationTests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class TargetTheoryAttribute : TheoryAttribute;
