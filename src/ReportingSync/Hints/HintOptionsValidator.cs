using Azure.Messaging.ServiceBus;
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
            failures.Add($"{Prefix}:Enabled is true but neither {Prefix}:ServiceBus:ConnectionString, {Prefix}:ServiceBus:FullyQualifiedNamespace nor {Prefix}:Webhook:Key is set.");
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
        var hasConnectionString = !string.IsNullOrWhiteSpace(bus.ConnectionString);
        string? entityInConnectionString = null;
        if (hasConnectionString && !string.IsNullOrWhiteSpace(bus.FullyQualifiedNamespace))
        {
            failures.Add($"{bp}: set either ConnectionString (SAS) or FullyQualifiedNamespace (Entra), not both.");
        }
        else if (hasConnectionString)
        {
            if (ServiceBusEntity.ParseConnectionString(bus.ConnectionString!, out entityInConnectionString) is { } problem)
            {
                failures.Add($"{bp}:ConnectionString {problem}");
            }
        }
        else if (Uri.CheckHostName(bus.FullyQualifiedNamespace!.Trim()) != UriHostNameType.Dns || bus.FullyQualifiedNamespace.Contains("://", StringComparison.Ordinal))
        {
            failures.Add($"{bp}:FullyQualifiedNamespace must be a host name such as myns.servicebus.windows.net (was '{bus.FullyQualifiedNamespace}').");
        }

        if (entityInConnectionString is not null && !string.IsNullOrWhiteSpace(bus.EntityPath)
            && !string.Equals(entityInConnectionString, bus.EntityPath.Trim().Trim('/'), StringComparison.OrdinalIgnoreCase))
        {
            // The SDK refuses a processor for another entity than the one an entity-level connection string names.
            failures.Add($"{bp}:EntityPath '{bus.EntityPath}' differs from the EntityPath '{entityInConnectionString}' in {bp}:ConnectionString; leave one out.");
        }

        var path = string.IsNullOrWhiteSpace(bus.EntityPath) ? entityInConnectionString : bus.EntityPath;
        if (string.IsNullOrWhiteSpace(path))
        {
            failures.Add($"{bp}:EntityPath is required (unless the connection string has EntityPath): a queue name, or {{topic}}/subscriptions/{{subscription}}.");
        }
        else if (!ServiceBusEntity.TryParse(path, out _))
        {
            failures.Add($"{bp}:EntityPath '{path}' must be a queue name or {{topic}}/subscriptions/{{subscription}}.");
        }

        if (!Enum.IsDefined(bus.TransportType))
        {
            failures.Add($"{bp}:TransportType must be {nameof(ServiceBusTransportType.AmqpTcp)} or {nameof(ServiceBusTransportType.AmqpWebSockets)} (was {bus.TransportType}).");
        }

        if (bus.MaxConcurrentCalls is < 1 or > 32)
        {
            failures.Add($"{bp}:MaxConcurrentCalls must be between 1 and 32 (was {bus.MaxConcurrentCalls}).");
        }

        if (bus.MaxAutoLockRenewalDuration < TimeSpan.Zero)
        {
            failures.Add($"{bp}:MaxAutoLockRenewalDuration cannot be negative (was {bus.MaxAutoLockRenewalDuration}).");
        }

        if (bus.MaxDeliveryCount is < 1 or > 100)
        {
            failures.Add($"{bp}:MaxDeliveryCount must be between 1 and 100 (was {bus.MaxDeliveryCount}).");
        }
    }

    private static bool IsTokenChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c);
}
