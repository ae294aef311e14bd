using Xunit.Sdk;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>A <see cref="FactAttribute"/> that honours <see cref="RequiresEnvironmentAttribute"/> on the test class.</summary>
[XunitTestCaseDiscoverer("ReportingSync.IntegrationTests.Support.TargetFactDiscoverer", "ReportingSync.IntegrationTests")]
[AttributeUsage(AttributeTargets.Method)]
public sealed class TargetFactAttribute : FactAttribute;
