using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;

namespace ReportingSync.Hints;

/// <summary>The only door to push hints: <see cref="AddHints"/> for services, <see cref="MapHintEndpoints"/> for the webhook.</summary>
internal static class HintServiceCollectionExtensions
{
    /// <summary>
    /// Binds and validates <c>ReportingSync:Hints</c> (at start-up, every bad key named), and when enabled registers the
    /// hint sink and, if configured, the Service Bus listener (a hosted service: it runs only while the host runs).
    /// </summary>
    public static IServiceCollection AddHints(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(HintOptions.SectionName);
        services.AddSingleton<IValidateOptions<HintOptions>, HintOptionsValidator>();
        services.AddOptions<HintOptions>().Bind(section).ValidateOnStart();

        var options = section.Get<HintOptions>() ?? new HintOptions();
        if (!options.Enabled)
        {
            return services;
        }

        services.AddSingleton(sp =>
        {
            // The window only folds bursts. It used to stretch to entities / budget seconds to keep hinted reads inside the
            // request budget; the Dataverse client now holds that budget for every request itself.
            var window = sp.GetRequiredService<IOptions<HintOptions>>().Value.CoalesceWindow;
            var log = sp.GetRequiredService<ILogger<HintSink>>();
            HintLog.Window(log, window.TotalMilliseconds);
            return new HintSink(sp.GetRequiredService<SyncSupervisor>().Wake, window, sp.GetRequiredService<TimeProvider>(), log);
        });
        if (options.ServiceBus.IsConfigured)
        {
            services.AddSingleton<ServiceBusHintListener>();
            services.AddHostedService(sp => sp.GetRequiredService<ServiceBusHintListener>());
        }

        return services;
    }

    /// <summary>Maps <c>POST /hooks/dataverse</c> when hints are on and a webhook key is configured; otherwise nothing.</summary>
    public static IEndpointRouteBuilder MapHintEndpoints(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<HintOptions>>().Value;
        if (!options.Enabled || !options.Webhook.IsConfigured)
        {
            return app;
        }

        var endpoint = new WebhookEndpoint(
            options.Webhook, app.ServiceProvider.GetRequiredService<HintSink>(), app.ServiceProvider.GetRequiredService<ILogger<WebhookEndpoint>>());
        // As a Delegate (not a RequestDelegate), so the IResult (202, 401) is written to the response.
        Func<HttpContext, Task<IResult>> handler = endpoint.HandleAsync;
        app.MapPost(WebhookEndpoint.Path, handler);
        HintLog.WebhookMapped(app.ServiceProvider.GetRequiredService<ILogger<WebhookEndpoint>>(),
            options.Webhook.HeaderName is { } header ? $"query 'code' or header '{header}'" : "query 'code'");
        return app;
    }
}
