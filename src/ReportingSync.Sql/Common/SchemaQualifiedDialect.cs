namespace ReportingSync.Sql;

/// <summary>
/// A dialect with schemas (PostgreSQL, SQL Server): entity tables, DeleteLog and the metadata tables in the data schema;
/// the replicator's own state tables in the state schema.
/// </summary>
internal abstract class SchemaQualifiedDialect : SqlDialect
{
    protected SchemaQualifiedDialect(string schema, string stateSchema)
    {
        Schema = Names.Validate(schema, "schema");
        StateSchema = Names.Validate(stateSchema, "state schema");
    }

    public string Schema { get; }

    public string StateSchema { get; }

    public override string Table(string table, string? entity = null) => Names.Qualify(Schema, table, "table", entity);

    public override string Owned(OwnedTable table) => Names.Qualify(table.InStateSchema ? StateSchema : Schema, table.Name, "table");
}
