using System.CommandLine;

namespace ReportingSync.Cli;

/// <summary>The command tree of the <c>reportingsync</c> executable.</summary>
internal static class ReportingSyncCli
{
    public static RootCommand Create() => new("ReportingSync: replicate Dataverse tables into a SQL reporting database, continuously, and prove the copy is right.")
    {
        RunCommand.Create(),
        StatusCommand.Create(),
        ReseedCommand.Create(),
        ReconcileCommand.Create(),
        SchemaCommand.Create(),
        Demo.DemoCommand.Create(),
    };

    public static Task<int> InvokeAsync(string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        var configuration = new InvocationConfiguration
        {
            // A page that is being committed is finished before the process exits.
            ProcessTerminationTimeout = TimeSpan.FromSeconds(30),
        };
        if (output is not null)
        {
            configuration.Output = output;
        }

        if (error is not null)
        {
            configuration.Error = error;
        }

        return Create().Parse(args).InvokeAsync(configuration, cancellationToken);
    }
}
