using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;

namespace ReportingSync.Configuration;

/// <summary>Checks every option group at start-up and reports every bad key at once.</summary>
internal static class SettingsValidation
{
    /// <summary>
    /// Validates every option group registered with ValidateOnStart. The start-up validator throws one exception per
    /// group that fails, bundled in an <see cref="AggregateException"/> when several do; this turns any mix into one
    /// <see cref="OptionsValidationException"/> listing every failure, which the CLI prints as one list (exit code 2).
    /// </summary>
    public static void ValidateAll(IServiceProvider services)
    {
        List<string> failures;
        try
        {
            services.GetRequiredService<IStartupValidator>().Validate();
            return;
        }
        catch (OptionsValidationException ex)
        {
            failures = [.. ex.Failures];
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            failures = [.. ex.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures)];
        }

        var unconvertible = services.GetService<UnconvertibleSettings>();
        throw new OptionsValidationException(
            SyncOptions.SectionName, typeof(SyncOptions), unconvertible is null ? failures : [.. unconvertible.WithoutEchoes(failures)]);
    }
}
