using System.CommandLine;

namespace ReportingSync.Cli;

/// <summary><c>reportingsync schema ...</c>: the tools for the reporting database's tables.</summary>
internal static class SchemaCommand
{
    public static Command Create() => new("schema", "Database schema tools: print the DDL, show or apply schema drift.")
    {
        SchemaScriptCommand.Create(),
        SchemaDriftCommands.Diff(),
        SchemaDriftCommands.Apply(),
    };
}
