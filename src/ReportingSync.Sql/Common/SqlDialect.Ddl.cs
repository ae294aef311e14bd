namespace ReportingSync.Sql;

/// <summary>The pieces of DDL each dialect spells its own way; <see cref="DdlSql"/> puts them together.</summary>
internal abstract partial class SqlDialect
{
    /// <summary>A CREATE TABLE that does nothing when the table exists; <paramref name="body"/> is the column and key list.</summary>
    public abstract string CreateTableIfMissing(string qualified, string body);

    /// <summary>The primary key clause of a table named <paramref name="table"/>.</summary>
    public abstract string PrimaryKey(string table, IEnumerable<string> quotedColumns, string? entity = null);

    /// <summary>An identity column's type and constraint; <c>IsKey</c> when the definition makes it the primary key itself.</summary>
    public abstract (string Type, string Constraint, bool IsKey) Identity(StateColumn column);

    public abstract string CreateIndexIfMissing(string name, string qualifiedTable, IEnumerable<string> quotedColumns, bool unique);

    public abstract string DropTableIfExists(string qualified);

    public abstract string DropViewIfExists(string qualified);

    /// <summary>Adds a column, nullable unless <paramref name="constraint"/> says otherwise (<c>NOT NULL DEFAULT ...</c>).</summary>
    public virtual string AddColumn(string qualified, string quotedColumn, string type, string constraint = "NULL") =>
        $"ALTER TABLE {qualified} ADD COLUMN {quotedColumn} {type} {constraint};";

    /// <summary>Changes a column to a wider type keeping every value, or null when the dialect's declared types do not limit values.</summary>
    public abstract string? WidenColumn(string qualified, string quotedColumn, string type);

    /// <summary>Renames a column; <paramref name="newName"/> is validated by the caller's quoting and given bare.</summary>
    public virtual string RenameColumn(string qualified, string quotedColumn, string newName) =>
        $"ALTER TABLE {qualified} RENAME COLUMN {quotedColumn} TO {Quote(newName)};";

    public virtual string DropColumn(string qualified, string quotedColumn) => $"ALTER TABLE {qualified} DROP COLUMN {quotedColumn};";

    /// <summary>
    /// Statements that give a column another type in place, every value becoming NULL (a type-change rebuild's swap
    /// applies the shadow's values next); null where the dialect cannot change a type in place (SQLite).
    /// </summary>
    public abstract IReadOnlyList<string>? RetypeColumn(string qualified, string quotedColumn, string type);

    /// <summary>Whether declared string lengths limit values (not on SQLite).</summary>
    public virtual bool LengthsEnforced => true;

    /// <summary>The statements that create the data and state schemas, for scripts (none on SQLite).</summary>
    public abstract IEnumerable<string> CreateSchemaStatements();

    /// <summary>
    /// For scripts: adds <paramref name="added"/> to <paramref name="table"/> when missing (the worker itself checks the
    /// catalog and adds what is missing).
    /// </summary>
    public abstract IEnumerable<string> UpgradeScript(OwnedTable table, IReadOnlyList<StateColumn> added);

    /// <summary>The statement separator of a script (<c>GO</c> on SQL Server, where CREATE VIEW must start a batch).</summary>
    public virtual string? ScriptBatchSeparator => null;

    /// <summary>Whether a table name belongs to the replicator or the database itself.</summary>
    public virtual bool IsReserved(string table) => ReservedNames.IsReservedTableName(table);
}
