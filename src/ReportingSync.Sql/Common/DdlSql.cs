using System.Globalization;
using System.Text;
using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// DDL text for every dialect, from the layout, <see cref="StateTables"/> and <see cref="MetadataTables"/>, so the same
/// text the worker runs can be printed as scripts for DBAs. Names are validated and quoted by the dialect; view
/// definitions take validated identifiers as literals (views take no parameters).
/// </summary>
internal sealed class DdlSql(SqlDialect dialect, int labelLanguageCode = TargetOptions.DefaultLabelLanguageCode)
{
    public SqlDialect Dialect { get; } = dialect;

    public int LabelLanguageCode { get; } = labelLanguageCode;

    /// <summary>The entity table: layout columns, then the sync columns, keyed by Id.</summary>
    public string CreateTable(TableLayout layout, string? tableName = null)
    {
        var table = tableName ?? layout.TableName;
        var entity = layout.EntityName;
        var compatibility = layout.Options.Compatibility;
        var body = new StringBuilder();
        foreach (var column in layout.Columns)
        {
            // NOT NULL spelled out: SQLite lets a non-INTEGER primary key hold NULLs unless told otherwise.
            var nullability = column.Name == SyncColumns.Id ? "NOT NULL" : "NULL";
            AppendColumn(body, Dialect.Quote(column.Name, "column", entity), Dialect.TypeName(column, compatibility), nullability);
        }

        var sinkType = Dialect.TypeName(ColumnStorageType.DateTime, null, null, compatibility);
        AppendColumn(body, Q(SyncColumns.SinkCreatedOn), sinkType, "NOT NULL");
        AppendColumn(body, Q(SyncColumns.SinkModifiedOn), sinkType, "NOT NULL");
        if (layout.Options.SoftDeletes)
        {
            AppendColumn(body, Q(SyncColumns.IsDeleted), Dialect.TypeName(ColumnStorageType.Boolean, null, null), IsDeletedConstraint);
        }

        body.Append("    ").Append(Dialect.PrimaryKey(table, [Q(SyncColumns.Id)], entity)).Append('\n');
        return Dialect.CreateTableIfMissing(Dialect.Table(table, entity), body.ToString());
    }

    /// <summary>A replicator-owned table and its indexes.</summary>
    public IEnumerable<string> CreateOwned(OwnedTable table)
    {
        var body = new StringBuilder();
        var identityKey = false;
        foreach (var column in table.Columns)
        {
            if (column.Identity)
            {
                var (type, constraint, isKey) = Dialect.Identity(column);
                identityKey |= isKey;
                AppendColumn(body, Q(column.Name), type, constraint);
            }
            else
            {
                AppendColumn(body, Q(column.Name), Dialect.TypeName(column.Type, column.MaxLength, null), column.Nullable ? "NULL" : "NOT NULL");
            }
        }

        if (identityKey)
        {
            body.Length -= 2;
            body.Append('\n');
        }
        else
        {
            body.Append("    ").Append(Dialect.PrimaryKey(Dialect.OwnedName(table), table.PrimaryKey.Select(Q))).Append('\n');
        }

        yield return Dialect.CreateTableIfMissing(Dialect.Owned(table), body.ToString());
        foreach (var index in table.Indexes)
        {
            yield return Dialect.CreateIndexIfMissing(index.Name(Dialect.OwnedName(table)), Dialect.Owned(table), index.Columns.Select(Q), index.Unique);
        }
    }

    /// <summary>Every owned table with its indexes, state first, then the data-schema ones.</summary>
    public IReadOnlyList<string> CreateStateTables() => [.. StateTables.All.SelectMany(CreateOwned)];

    public string DropTable(string table, string? entity = null) => Dialect.DropTableIfExists(Dialect.Table(table, entity));

    public string DropLabelView(TableLayout layout) => Dialect.DropViewIfExists(Dialect.Table(LabelViews.ViewName(layout), layout.EntityName));

    public string AddColumn(string table, TableColumn column, TableLayout layout) =>
        Dialect.AddColumn(Dialect.Table(table, layout.EntityName), Dialect.Quote(column.Name, "column", layout.EntityName), Dialect.TypeName(column, layout.Options.Compatibility));

    /// <summary>The soft-delete flag added to an existing table, as <see cref="CreateTable"/> makes it.</summary>
    public string AddIsDeleted(string table, string entity) =>
        Dialect.AddColumn(Dialect.Table(table, entity), Q(SyncColumns.IsDeleted), Dialect.TypeName(ColumnStorageType.Boolean, null, null), IsDeletedConstraint);

    public string? WidenColumn(string table, TableColumn column, TableLayout layout) =>
        Dialect.WidenColumn(Dialect.Table(table, layout.EntityName), Dialect.Quote(column.Name, "column", layout.EntityName), Dialect.TypeName(column, layout.Options.Compatibility));

    /// <summary>A column changed to another type in place, values set to NULL (see <see cref="SqlDialect.RetypeColumn"/>); null where the dialect cannot.</summary>
    public IReadOnlyList<string>? RetypeColumn(string table, TableColumn column, TableLayout layout) =>
        Dialect.RetypeColumn(Dialect.Table(table, layout.EntityName), Dialect.Quote(column.Name, "column", layout.EntityName), Dialect.TypeName(column, layout.Options.Compatibility));

    public string DropColumn(string table, string column, string entity) =>
        Dialect.DropColumn(Dialect.Table(table, entity), Dialect.Quote(column, "column", entity));

    /// <summary>
    /// The <c>&lt;entity&gt;_labelled</c> view over <paramref name="table"/>: its <paramref name="columns"/> as they are in the
    /// database, then one label per <see cref="LabelColumn"/> whose column exists, joined (LEFT JOIN) to the metadata
    /// tables in the configured language.
    /// </summary>
    public string CreateLabelView(TableLayout layout, string table, IReadOnlyList<string> columns, IReadOnlyList<LabelColumn> labels)
    {
        var entity = layout.EntityName;
        var present = new HashSet<string>(columns, StringComparer.Ordinal);
        var sql = new StringBuilder("CREATE VIEW ").Append(Dialect.Table(LabelViews.ViewName(layout), entity)).Append(" AS\nSELECT ");
        sql.AppendJoin(", ", columns.Select(c => "t." + Dialect.Quote(c, "column", entity)));
        var joins = new StringBuilder();
        var n = 0;
        foreach (var label in labels.Where(l => present.Contains(l.Column)))
        {
            var alias = "l" + (n++).ToString(CultureInfo.InvariantCulture);
            var column = "t." + Dialect.Quote(label.Column, "column", entity);
            sql.Append(", ").Append(alias).Append('.').Append(Q(MetadataTables.Label)).Append(" AS ").Append(Dialect.Quote(label.Alias, "column", entity));
            var (metadata, conditions) = label.Source switch
            {
                LabelSource.State => (MetadataTables.States, $"{alias}.{Q(MetadataTables.EntityName)} = {Dialect.Literal(entity)} AND {alias}.{Q(MetadataTables.State)} = {column}"),
                LabelSource.Status => (MetadataTables.Statuses, $"{alias}.{Q(MetadataTables.EntityName)} = {Dialect.Literal(entity)} AND {alias}.{Q(MetadataTables.Status)} = {column}"),
                LabelSource.GlobalOptionSet => (MetadataTables.GlobalOptionSets,
                    $"{alias}.{Q(MetadataTables.OptionSetName)} = {Dialect.Literal(label.Column)} AND {alias}.{Q(MetadataTables.GlobalOptionSetName)} = {Dialect.Literal(label.GlobalOptionSetName!)} AND {alias}.{Q(MetadataTables.Option)} = {column}"),
                _ => (MetadataTables.OptionSets,
                    $"{alias}.{Q(MetadataTables.EntityName)} = {Dialect.Literal(entity)} AND {alias}.{Q(MetadataTables.OptionSetName)} = {Dialect.Literal(label.Column)} AND {alias}.{Q(MetadataTables.Option)} = {column}"),
            };
            joins.Append("\nLEFT JOIN ").Append(Dialect.Owned(metadata)).Append(" AS ").Append(alias).Append(" ON ").Append(conditions)
                .Append(" AND ").Append(alias).Append('.').Append(Q(MetadataTables.LanguageCode)).Append(" = ")
                .Append(LabelLanguageCode.ToString(CultureInfo.InvariantCulture));
        }

        return sql.Append("\nFROM ").Append(Dialect.Table(table, entity)).Append(" AS t").Append(joins).Append(';').ToString();
    }

    /// <summary>The entity table's columns as <see cref="CreateTable"/> makes them.</summary>
    public static IReadOnlyList<string> TableColumns(TableLayout layout) =>
    [
        .. layout.Columns.Select(c => c.Name),
        SyncColumns.SinkCreatedOn,
        SyncColumns.SinkModifiedOn,
        .. layout.Options.SoftDeletes ? [SyncColumns.IsDeleted] : Array.Empty<string>(),
    ];

    private string IsDeletedConstraint => $"NOT NULL DEFAULT {Dialect.False}";

    private static void AppendColumn(StringBuilder sql, string quotedName, string type, string constraint) =>
        sql.Append("    ").Append(quotedName).Append(' ').Append(type).Append(' ').Append(constraint).Append(",\n");

    private string Q(string trustedName) => Dialect.Quote(trustedName);
}
