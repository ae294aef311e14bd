using ReportingSync.Target;
using Microsoft.Extensions.Options;

namespace ReportingSync.Engine.Reconciliation;

/// <summary>Checks every reconciliation setting at start-up and names each bad key (all at once).</summary>
public sealed class ReconciliationOptionsValidator : IValidateOptions<ReconciliationOptions>
{
    public ValidateOptionsResult Validate(string? name, ReconciliationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string prefix = ReconciliationOptions.SectionName + ":";
        var problems = new List<string>();
        if (options.Interval < TimeSpan.FromMinutes(1))
        {
            problems.Add($"{prefix}Interval must be at least 00:01:00 (got {options.Interval}).");
        }

        if (!ReconciliationOptions.TryParseWindow(options.Window, out _))
        {
            problems.Add($"{prefix}Window '{options.Window}' is not a UTC time window like 22:00-05:00.");
        }

        if (!(options.DeepSamplePercent > 0 && options.DeepSamplePercent <= 100))
        {
            problems.Add($"{prefix}DeepSamplePercent must be more than 0 and at most 100 (got {options.DeepSamplePercent}).");
        }

        if (options.Parallelism is < 1 or > 32)
        {
            problems.Add($"{prefix}Parallelism must be between 1 and 32 (got {options.Parallelism}).");
        }

        if (options.MaxFindings < 1)
        {
            problems.Add($"{prefix}MaxFindings must be at least 1 (got {options.MaxFindings}).");
        }

        if (options.MaxRecheck < options.MaxFindings)
        {
            problems.Add($"{prefix}MaxRecheck must be at least MaxFindings ({options.MaxFindings}; got {options.MaxRecheck}).");
        }

        if (options.SettleTimeout < TimeSpan.Zero)
        {
            problems.Add($"{prefix}SettleTimeout must not be negative (got {options.SettleTimeout}).");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
