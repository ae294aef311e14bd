using System.Globalization;
using Microsoft.Extensions.Options;

namespace ReportingSync.Dataverse;

/// <summary>
/// Rules that span fields (the URL decides which auth modes are safe). Runs at start-up through ValidateOnStart, so a
/// bad configuration stops the host with a message that names the key to fix. Never echoes the client secret.
/// </summary>
internal sealed class DataverseOptionsValidator : IValidateOptions<DataverseOptions>
{
    private const string Key = DataverseOptions.SectionName;
    private const double MinBudget = 0.01;
    private const double MaxBudget = 1000;

    public ValidateOptionsResult Validate(string? name, DataverseOptions options)
    {
        var failures = new List<string>();
        var url = ValidateUrl(options.Url, failures);
        ValidateAuth(options.Auth, url, failures);

        if (!(options.RequestBudgetPerSecond is >= MinBudget and <= MaxBudget))
        {
            failures.Add(
                $"{Key}:RequestBudgetPerSecond must be between {MinBudget} and {MaxBudget} requests per second (was {options.RequestBudgetPerSecond.ToString(CultureInfo.InvariantCulture)}); " +
                "Dataverse allows 6,000 per 5 minutes, 20 per second, per application user.");
        }

        if (options.RetryBaseDelay > options.RetryMaxDelay)
        {
            failures.Add($"{Key}:RetryBaseDelay ({options.RetryBaseDelay}) must not exceed {Key}:RetryMaxDelay ({options.RetryMaxDelay}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static Uri? ValidateUrl(string? value, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null; // [Required] reports it
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add($"{Key}:Url must be an absolute http or https URL such as https://contoso.crm.dynamics.com.");
            return null;
        }

        if (url.AbsolutePath != "/" || url.Query.Length > 0 || url.Fragment.Length > 0 || url.UserInfo.Length > 0)
        {
            failures.Add($"{Key}:Url must be the organisation URL alone, such as https://contoso.crm.dynamics.com: the client adds /api/data/<ApiVersion> itself.");
            return null;
        }

        return url;
    }

    private static void ValidateAuth(DataverseAuthOptions auth, Uri? url, List<string> failures)
    {
        switch (auth.Mode)
        {
            case DataverseAuthMode.ClientSecret:
                Require(auth.TenantId, "TenantId", failures);
                Require(auth.ClientId, "ClientId", failures);
                Require(auth.ClientSecret, "ClientSecret", failures);
                break;
            case DataverseAuthMode.None when url is not null && !url.IsLoopback:
                failures.Add(
                    $"{Key}:Auth:Mode is None, which sends requests without credentials; that is allowed only when {Key}:Url " +
                    $"is a loopback address (localhost, 127.0.0.1, ::1), and '{url.Host}' is not.");
                break;
        }

        // A bearer token must never cross the network in clear text.
        if (auth.Mode != DataverseAuthMode.None && url is not null && url.Scheme == Uri.UriSchemeHttp && !url.IsLoopback)
        {
            failures.Add($"{Key}:Url must use https when {Key}:Auth:Mode is {auth.Mode}: access tokens are never sent over plain http to another host.");
        }

        if (auth.AuthorityHost is { } authority && (!authority.IsAbsoluteUri || authority.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{Key}:Auth:AuthorityHost must be an absolute https URL such as https://login.microsoftonline.com/.");
        }
    }

    private static void Require(string? value, string field, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            failures.Add($"{Key}:Auth:{field} is required when {Key}:Auth:Mode is ClientSecret.");
        }
    }
}
