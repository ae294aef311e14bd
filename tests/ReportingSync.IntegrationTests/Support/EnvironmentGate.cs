using Xunit.Abstractions;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>Whether a test method's class may run, judged by its <see cref="RequiresEnvironmentAttribute"/>.</summary>
internal static class EnvironmentGate
{
    public static bool IsOpen(ITestMethod testMethod)
    {
        var required = testMethod.TestClass.Class.GetCustomAttributes(typeof(RequiresEnvironmentAttribute)).FirstOrDefault();
        return required is null || RequiresEnvironmentAttribute.IsSet(required.GetConstructorArguments().Cast<string>().Single());
    }
}
