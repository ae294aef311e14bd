using System.Data.Common;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// What one SQL dialect supplies to the shared target: names and types, parameters and values, the few statement forms
/// that are spelled differently (upserts, the database clock, id lists), the catalog, transactions, bulk loading and
/// error classification. Everything else (the commit protocol, the state store, DDL and DML text) is written once in
/// terms of these. One subclass per folder: <c>PostgreSql/</c>, <c>SqlServer/</c>, <c>Sqlite/</c>. Partial files by concern:
/// this one holds names, types, values and errors; <c>SqlDialect.Syntax.cs</c> statement forms; <c>SqlDialect.Operations.cs</c>
/// what runs on a connection.
/// </summary>
internal abstract partial class SqlDialect
{
    public abstract TargetProvider Provider { get; }

    /// <summary>See <see cref="ReportingSync.Target.IPageCommitter.SeedCommitRows"/>: a commit per page unless a dialect says otherwise.</summary>
    public virtual int SeedCommitRows => 0;

    // ---- Names ----

    /// <summary>How the dialect quotes and limits names.</summary>
    public abstract IdentifierRules Names { get; }

    /// <summary>Validates an untrusted name and quotes it.</summary>
    /// <param name="what">What the name is, for the error message ("column", "table").</param>
    /// <param name="entity">The entity it belongs to, for the error message.</param>
    public string Quote(string name, string what = "column", string? entity = null) => Names.Quote(name, what, entity);

    /// <summary>Whether a generated name (a label view, a label column) fits the database's identifier limit.</summary>
    public bool Fits(string name) => name.Length <= Names.MaxLength;

    /// <summary>The identifier length label columns may use (for <see cref="LabelViews"/>).</summary>
    public int MaxIdentifierLength => Names.MaxLength;

    /// <summary>An entity-schema table, validated, quoted and qualified.</summary>
    public abstract string Table(string table, string? entity = null);

    /// <summary>A replicator-owned table (state schema, or the data schema for DeleteLog and metadata), quoted and qualified.</summary>
    public abstract string Owned(OwnedTable table);

    /// <summary>The physical name of an owned table (SQLite prefixes state tables), for index names.</summary>
    public virtual string OwnedName(OwnedTable table) => table.Name;

    /// <summary>A validated identifier as a string literal, for view definitions (they take no parameters).</summary>
    public virtual string Literal(string identifier) => "'" + Identifier.Validate(identifier, "name").Replace("'", "''", StringComparison.Ordinal) + "'";

    // ---- Types and values ----

    public abstract string TypeName(ColumnStorageType type, int? maxLength, int? precision, SchemaCompatibility compatibility = SchemaCompatibility.Standard);

    public string TypeName(TableColumn column, SchemaCompatibility compatibility) => TypeName(column.Type, column.MaxLength, column.Precision, compatibility);

    /// <summary>A typed parameter; <paramref name="size"/> is a string column's length, when known.</summary>
    public abstract DbParameter Parameter(string name, ColumnStorageType type, object? value, int? size = null);

    /// <summary>A value read back as the CLR type of <paramref name="type"/>; DateTimes are UTC by convention.</summary>
    public virtual object? Read(DbDataReader reader, int ordinal, ColumnStorageType type)
    {
        if (reader.IsDBNull(ordinal))
        {
            return null;
        }

        return type switch
        {
            ColumnStorageType.Guid => reader.GetGuid(ordinal),
            ColumnStorageType.String => reader.GetString(ordinal),
            ColumnStorageType.Int32 => reader.GetInt32(ordinal),
            ColumnStorageType.Int64 => reader.GetInt64(ordinal),
            ColumnStorageType.Decimal => reader.GetDecimal(ordinal),
            ColumnStorageType.Double => reader.GetDouble(ordinal),
            ColumnStorageType.Boolean => reader.GetBoolean(ordinal),
            ColumnStorageType.DateTime => DateTime.SpecifyKind(reader.GetDateTime(ordinal), DateTimeKind.Utc),
            ColumnStorageType.Date => ReadDate(reader, ordinal),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
    }

    /// <summary>A non-null date column, as the driver returns it.</summary>
    protected virtual DateOnly ReadDate(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateOnly>(ordinal);

    /// <summary>Why the database cannot store <paramref name="value"/> exactly in <paramref name="column"/>, or null.</summary>
    public abstract string? Problem(TableColumn column, object value, SchemaCompatibility compatibility);

    // ---- Errors ----

    /// <summary>The target exception for a failure about availability (messages name the server, never the password), or null.</summary>
    public abstract TargetException? Translate(Exception exception);

    /// <summary>A value the server refused during a bulk load or an upsert, naming the row where the dialect can tell; or null.</summary>
    public virtual RowRejectedException? RowRejected(Exception exception, string table, IReadOnlyList<Guid?> writtenIds) => null;

    /// <summary>How the target names the database in log lines and messages (no secret).</summary>
    public abstract string Endpoint { get; }
}
