using Xunit.Abstractions;
using Xunit.Sdk;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>Discovers nothing for a class whose <see cref="RequiresEnvironmentAttribute"/> variable is unset.</summary>
public sealed class TargetTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    public override IEnumerable<IXunitTestCase> Discover(ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute) =>
        EnvironmentGate.IsOpen(testMethod) ? base.Discover(discoveryOptions, testMethod, theoryAttribute) : [];
}
