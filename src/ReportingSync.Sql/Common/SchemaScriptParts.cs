namespace ReportingSync.Sql;

/// <summary>What a <see cref="SchemaScript"/> contains.</summary>
[Flags]
internal enum SchemaScriptParts
{
    /// <summary>Schemas, EntityState, SyncHistory, SchemaChange, Quarantine, Command, reconciliation runs, DeleteLog, and the EntityState upgrade.</summary>
    State = 1,

    /// <summary>The six metadata tables.</summary>
    Metadata = 2,

    /// <summary>One CREATE TABLE per entity.</summary>
    Tables = 4,

    /// <summary>One <c>&lt;entity&gt;_labelled</c> view per entity (when the options want label views).</summary>
    Views = 8,

    All = State | Metadata | Tables | Views,
}
