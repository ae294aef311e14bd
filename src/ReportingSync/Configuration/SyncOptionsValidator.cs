using Microsoft.Extensions.Options;
using ReportingSync.Engine;
using ReportingSync.Model;

namespace ReportingSync.Configuration;

/// <summary>Rules for <see cref="SyncOptions"/>; every message names the configuration key a user must fix.</summary>
internal sealed class SyncOptionsValidator : IValidateOptions<SyncOptions>
{
    private const string Prefix = SyncOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, SyncOptions options)
    {
        var failures = new List<string>();
        if (options.Entities.Count == 0)
        {
            failures.Add($"{Prefix}:Entities is empty: list at least one Dataverse table logical name, e.g. \"Entities\": [\"contact\"].");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Entities.Count; i++)
        {
            var entity = options.Entities[i];
            if (string.IsNullOrWhiteSpace(entity.Name))
            {
                failures.Add($"{Prefix}:Entities:{i} has no Name.");
                continue;
            }

            if (!Identifier.IsValid(entity.Name))
            {
                failures.Add($"{Prefix}:Entities:{i} = '{entity.Name}' is not a valid table logical name (letters, digits and underscores, starting with a letter or underscore).");
            }
            else if (!seen.Add(entity.Name))
            {
                failures.Add($"{Prefix}:Entities:{i} = '{entity.Name}' is listed twice.");
            }

            foreach (var column in entity.Include.Concat(entity.Exclude).Concat(entity.Mask).Where(c => !Identifier.IsValid(c)))
            {
                failures.Add($"{Prefix}:Entities:{i} ({entity.Name}) names an invalid column '{column}'.");
            }
        }

        if (options.PollInterval is { } poll && poll <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}:PollInterval must be positive (was {poll}).");
        }

        if (options.MinPollInterval <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}:MinPollInterval must be positive (was {options.MinPollInterval}).");
        }

        if (options.MaxPollInterval < options.MinPollInterval)
        {
            failures.Add($"{Prefix}:MaxPollInterval ({options.MaxPollInterval}) must not be shorter than {Prefix}:MinPollInterval ({options.MinPollInterval}).");
        }

        if (options.HistoryRetention is { } retention && retention <= TimeSpan.Zero)
        {
            failures.Add($"{Prefix}:HistoryRetention must be positive (or unset to keep every version); it is {retention}.");
        }

        if (options.FailureBackoff <= TimeSpan.Zero || options.MaxFailureBackoff < options.FailureBackoff)
        {
            failures.Add($"{Prefix}:FailureBackoff must be positive and no larger than {Prefix}:MaxFailureBackoff.");
        }

        if (options.MaxParallelEntities is < 1 or > 64)
        {
            failures.Add($"{Prefix}:MaxParallelEntities must be between 1 and 64 (was {options.MaxParallelEntities}).");
        }

        if (options.RequestBudgetPerSecond is { } moved)
        {
            failures.Add($"{Prefix}:RequestBudgetPerSecond ({moved.ToString(System.Globalization.CultureInfo.InvariantCulture)}) has moved to {Prefix}:Dataverse:RequestBudgetPerSecond, which limits every request to Dataverse (delta reads, metadata, seeds, reconciliation), not only polling.");
        }

        if (options.Entities.Any(e => e.Mask.Count > 0) && string.IsNullOrEmpty(options.MaskKey))
        {
            failures.Add($"{Prefix}:MaskKey is required when an entity masks columns ({string.Join(", ", options.Entities.Where(e => e.Mask.Count > 0).Select(e => e.Name))}); keep it in a secret store.");
        }

        if (options.SeedPartitions is < 1 or > 64)
        {
            failures.Add($"{Prefix}:SeedPartitions must be between 1 and 64 (was {options.SeedPartitions}).");
        }

        if (options.SeedMemoryBudgetMegabytes < 1)
        {
            failures.Add($"{Prefix}:SeedMemoryBudgetMegabytes must be at least 1 (was {options.SeedMemoryBudgetMegabytes}).");
        }

        if (options.ParallelSeedMinRows < 0)
        {
            failures.Add($"{Prefix}:ParallelSeedMinRows must not be negative (was {options.ParallelSeedMinRows}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
