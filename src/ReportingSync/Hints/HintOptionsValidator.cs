using Microsoft.Extensions.Options;

namespace ReportingSync.Hints;

/// <summary>Rules for <see cref="HintOptions"/>; every message names the key to fix and never shows a secret.</summary>
internal sealed class HintOptionsValidator : IValidateOptions<HintOptions>
{
    private const string Prefix = HintOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, HintOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (options.CoalesceWindow < TimeSpan.Zero || options.CoalesceWindow > TimeSpan.FromSeconds(30))
        {
            failures.Add($"{Prefix}:CoalesceWindow must be between 00:00:00 and 00:00:30 (was {options.CoalesceWindow}).");
        }

        if (!options.ServiceBus.IsConfigured && !options.Webhook.IsConfigured)
        {
            failures.Add($"{Prefix}:Enabled is true but neither {Prefix}:ServiceBus:Endpoint nor {Prefix}:Webhook:Key is set.");
        }

        if (options.ServiceBus.IsConfigured)
        {
            ValidateServiceBus(options.ServiceBus, failures);
        }

        if (options.Webhook.IsConfigured)
        {
            if (options.Webhook.Key!.Length < 16)
            {
                failures.Add($"{Prefix}:Webhook:Key must be at least 16 characters.");
            }

            if (options.Webhook.HeaderName is { } header && (header.Length == 0 || !header.All(IsTokenChar)))
            {
                failures.Add($"{Prefix}:Webhook:HeaderName '{header}' is not a valid HTTP header name.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateServiceBus(ServiceBusHintOptions bus, List<string> failures)
    {
        const string bp = Prefix + ":ServiceBus";
        if (ServiceBusAddress.TryParseNamespace(bus.Endpoint, out _) is false)
        {
            failures.Add($"{bp}:Endpoint must be an absolute https:// or sb:// URL of the namespace, e.g. https://myns.servicebus.windows.net (was '{bus.Endpoint}').");
        }

        if (string.IsNullOrWhiteSpace(bus.EntityPath))
        {
            failures.Add($"{bp}:EntityPath is required: a queue name, or {{topic}}/subscriptions/{{subscription}}.");
        }
        else if (bus.EntityPath.Contains("/subscriptions/", StringComparison.OrdinalIgnoreCase) is false && bus.EntityPath.Contains('/'))
        {
            failures.Add($"{bp}:EntityPath '{bus.EntityPath}' must be a queue name or {{topic}}/subscriptions/{{subscription}}.");
        }

        var hasSas = !string.IsNullOrEmpty(bus.SasKeyName) || !string.IsNullOrEmpty(bus.SasKey);
        if (bus.UseEntraToken && hasSas)
        {
            failures.Add($"{bp}: set either SasKeyName and SasKey, or UseEntraToken, not both.");
        }
        else if (!bus.UseEntraToken && (string.IsNullOrEmpty(bus.SasKeyName) || string.IsNullOrEmpty(bus.SasKey)))
        {
            failures.Add($"{bp}:SasKeyName and {bp}:SasKey are both required unless {bp}:UseEntraToken is true.");
        }

        if (bus.MaxConcurrentReceives is < 1 or > 32)
        {
            failures.Add($"{bp}:MaxConcurrentReceives must be between 1 and 32 (was {bus.MaxConcurrentReceives}).");
        }

        if (bus.ReceiveTimeout < TimeSpan.FromSeconds(1) || bus.ReceiveTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{bp}:ReceiveTimeout must be between 00:00:01 and 00:05:00 (was {bus.ReceiveTimeout}).");
        }

        if (bus.MaxBackoff < TimeSpan.FromSeconds(1))
        {
            failures.Add($"{bp}:MaxBackoff must be at least 00:00:01 (was {bus.MaxBackoff}).");
        }
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
