using Microsoft.Extensions.Options;
using ReportingSync.Engine;

namespace ReportingSync.Configuration;

/// <summary>
/// The values <see cref="ConfigurationTypeCheck"/> found unconvertible, reported as failures of <see cref="SyncOptions"/>
/// so that no command can read its options without them. The host binds those keys as unset (the binder would throw
/// at the first one), which lets every validator still run over the rest.
/// </summary>
internal sealed class UnconvertibleSettings(IReadOnlyList<(string Key, string Problem)> settings) : IValidateOptions<SyncOptions>
{
    public ValidateOptionsResult Validate(string? name, SyncOptions options) =>
        settings.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(settings.Select(s => s.Problem));

    /// <summary>
    /// <paramref name="failures"/> without those that only follow from a key being bound as unset
    /// (<c>Target:Provider is required</c> after <c>Target:Provider = 'Oracle'</c>): each bad key is named once.
    /// </summary>
    public IEnumerable<string> WithoutEchoes(IEnumerable<string> failures) =>
        failures.Where(f => settings.Any(s => s.Problem == f) || !settings.Any(s => f.StartsWith(s.Key + " ", StringComparison.OrdinalIgnoreCase)));
}
