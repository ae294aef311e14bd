using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;
using ReportingSync.Hosting;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Sql;

namespace ReportingSync.Cli;

/// <summary>
/// <c>reportingsync schema script --provider SqlServer|PostgreSql|Sqlite [--config FILE] [--compat Standard|Des]</c>: prints the full DDL
/// (state schema and tables, metadata tables, DeleteLog, Quarantine, Command, and a table and label view per configured
/// entity) for DBAs who create the tables themselves. Entity layouts come from Dataverse metadata through the configured
/// <see cref="IChangeSource"/>, exactly as the worker builds them; no connection to the reporting database is made.
/// </summary>
internal static class SchemaScriptCommand
{
    public static Command Create()
    {
        var config = CliOptions.Config();
        var provider = new Option<TargetProvider>("--provider")
        {
            Description = "The dialect to print: SqlServer, PostgreSql or Sqlite.",
            Required = true,
        };
        var compat = new Option<SchemaCompatibility?>("--compat")
        {
            Description = "Table shape: Standard, or Des for the Data Export Service's (datetime, decimal(38,p) for doubles). Default: ReportingSync:Compatibility.",
        };

        var script = new Command("script", "Print the DDL for the configured entities, state and metadata tables.") { config, provider, compat };
        script.SetAction((parse, cancellationToken) =>
        {
            var settings = new HostSettings { ConfigFile = parse.GetValue(config) };
            var output = parse.InvocationConfiguration.Output;
            return StartupReporter.GuardAsync(
                parse.InvocationConfiguration.Error,
                () => RunAsync(settings, parse.GetValue(provider), parse.GetValue(compat), output, cancellationToken));
        });
        return script;
    }

    private static async Task<int> RunAsync(
        HostSettings settings, TargetProvider provider, SchemaCompatibility? compatibility, TextWriter output, CancellationToken cancellationToken)
    {
        await using var app = WorkerHost.CreateBuilder(settings).Build();
        var sync = app.Services.GetRequiredService<IOptions<SyncOptions>>().Value;

        // Only the naming options matter here; the connection string is not needed, so the section is bound without
        // the target's start-up validation.
        var target = new TargetOptions();
        app.Configuration.GetSection(TargetOptions.SectionName).Bind(target);
        var source = app.Services.GetService<IChangeSource>()
                     ?? throw new StartupException(["No Dataverse source is configured (ReportingSync:Dataverse); it is needed to read the entities' metadata."]);
        return await WriteScriptAsync(output, provider, compatibility, sync, target, source.GetEntitySchemaAsync, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The script for <paramref name="sync"/>'s entities, whose metadata <paramref name="readSchema"/> supplies (the
    /// Dataverse source, or a static model in tests).
    /// </summary>
    internal static async Task<int> WriteScriptAsync(
        TextWriter output, TargetProvider provider, SchemaCompatibility? compatibility, SyncOptions sync, TargetOptions target,
        Func<string, CancellationToken, Task<EntitySchema>> readSchema, CancellationToken cancellationToken)
    {
        var entities = new List<(EntitySchema, TableLayout)>();
        var problems = new List<string>();
        foreach (var entity in sync.Entities)
        {
            try
            {
                var schema = await readSchema(entity.Name, cancellationToken).ConfigureAwait(false);
                var layoutOptions = sync.ToLayoutOptions(entity) with { Compatibility = compatibility ?? sync.Compatibility };
                entities.Add((schema, TableLayout.Create(schema, entity.ToSelection(), layoutOptions)));
            }
            catch (Exception ex) when (ex is SourceException or InvalidSchemaException or InvalidIdentifierException)
            {
                // Every entity is tried, so one run names every table a DBA would have to fix or remove.
                problems.Add(ex.Message);
            }
        }

        if (problems.Count > 0)
        {
            // Half a script would be worse than none: a DBA might run it.
            throw new StartupException(problems);
        }

        await output.WriteAsync(SchemaScript.Generate(provider, target, entities, SchemaScriptParts.All)).ConfigureAwait(false);
        return ExitCodes.Success;
    }
}
