using System.Data;
using System.Globalization;
using Microsoft.Data.SqlClient;
using ReportingSync.Model;

namespace ReportingSync.Sql.SqlServer;

/// <summary>
/// What DDL on an entity table would break or lose in SQL Server, from the catalog (<c>sys.sql_expression_dependencies</c>,
/// <c>sys.indexes</c>, <c>sys.stats</c>, <c>sys.masked_columns</c>, <c>sys.security_predicates</c>, <c>sys.database_permissions</c>,
/// <c>sys.extended_properties</c>), and how it is kept. Plain re-seeds run no DDL: the table keeps its object id, so its
/// permissions, indexes, extended properties, masks, security policies, triggers and every view on it (schema-bound ones
/// too) stay as they are. A column that changes (ALTER COLUMN: a longer string, more decimal places, int to bigint, or a
/// type-change rebuild) keeps its column id, so its permissions and extended properties stay too; around it:
/// <list type="bullet">
/// <item>schema-bound views on the column (and schema-bound views on those) are dropped and created again from their
/// own definition (<c>sys.sql_modules</c>), with their permissions (column permissions too) and extended properties;</item>
/// <item>a mask on a column whose type changes is dropped and added again with the same function (it needs ALTER ANY
/// MASK);</item>
/// <item>views that are not schema-bound, on the table or on the label view, are refreshed (<c>sp_refreshview</c>) so their
/// metadata shows the new types; the label view's own permissions and extended properties are put back when it is
/// made again;</item>
/// <item>what SQL Server refuses ALTER COLUMN for and the catalog cannot re-create faithfully blocks the change: an index
/// or CREATE STATISTICS on the column (allowed for a string that only gets longer), a CHECK, FOREIGN KEY or (when the
/// type changes) DEFAULT constraint, a computed column, an indexed view or another schema-bound object (a function, a
/// security policy's predicate), an encrypted view, a partitioned table (its column types cannot change), and a mask
/// when the worker may not ALTER ANY MASK.</item>
/// </list>
/// The statements that re-create objects are written by the server (<c>QUOTENAME</c>) or carry the catalog's values as
/// parameters; a definition is run as it is stored, through <c>sp_executesql</c>.
/// </summary>
internal static class SqlServerDependents
{
    /// <summary>Runs a view's stored definition (CREATE VIEW must start a batch).</summary>
    internal const string CreateFromDefinition = "EXEC sys.sp_executesql @definition;";

    /// <summary>Refreshes a view that is not schema-bound after the columns it reads changed type.</summary>
    internal const string RefreshView = "EXEC sys.sp_refreshview @viewname = @view;";

    /// <summary>Puts back one extended property of a view (or of its column when <c>@column</c> is set).</summary>
    internal const string AddExtendedProperty =
        "EXEC sys.sp_addextendedproperty @name = @name, @value = @value, @level0type = N'SCHEMA', @level0name = @schema, " +
        "@level1type = N'VIEW', @level1name = @view, @level2type = @columnlevel, @level2name = @column;";

    /// <summary>The permissions on an object (<c>@object</c>) as GRANT / DENY statements; <c>@columns</c> 0 leaves column permissions out.</summary>
    internal const string Permissions = """
        SELECT CASE p.state WHEN 'D' THEN N'DENY ' ELSE N'GRANT ' END + p.permission_name + N' ON OBJECT::' + QUOTENAME(OBJECT_SCHEMA_NAME(p.major_id)) + N'.' + QUOTENAME(OBJECT_NAME(p.major_id))
               + ISNULL(N' (' + QUOTENAME(c.name) + N')', N'') + N' TO ' + QUOTENAME(pr.name) + CASE p.state WHEN 'W' THEN N' WITH GRANT OPTION' ELSE N'' END + N';'
        FROM sys.database_permissions AS p
        INNER JOIN sys.database_principals AS pr ON pr.principal_id = p.grantee_principal_id
        LEFT JOIN sys.columns AS c ON c.object_id = p.major_id AND c.column_id = p.minor_id AND p.minor_id <> 0
        WHERE p.class = 1 AND p.major_id = OBJECT_ID(@object) AND p.state IN ('G', 'W', 'D') AND (p.minor_id = 0 OR @columns = 1)
        ORDER BY p.minor_id, pr.name, p.permission_name;
        """;

    /// <summary>The extended properties of an object (<c>@object</c>) and, with <c>@columns</c> 1, of its columns.</summary>
    internal const string ExtendedProperties = """
        SELECT OBJECT_SCHEMA_NAME(ep.major_id), OBJECT_NAME(ep.major_id), ep.name, ep.value, c.name
        FROM sys.extended_properties AS ep
        LEFT JOIN sys.columns AS c ON c.object_id = ep.major_id AND c.column_id = ep.minor_id AND ep.minor_id <> 0
        WHERE ep.class = 1 AND ep.major_id = OBJECT_ID(@object) AND (ep.minor_id = 0 OR @columns = 1)
        ORDER BY ep.minor_id, ep.name;
        """;

    /// <summary>
    /// Views that are not schema-bound on the table or on the label view (not the label view itself): refreshed after the change.
    /// </summary>
    internal const string PlainViews = """
        SELECT DISTINCT QUOTENAME(SCHEMA_NAME(o.schema_id)) + N'.' + QUOTENAME(o.name)
        FROM sys.sql_expression_dependencies AS d
        INNER JOIN sys.objects AS o ON o.object_id = d.referencing_id AND o.type = 'V'
        WHERE d.is_schema_bound_reference = 0 AND (d.referenced_id = OBJECT_ID(@table, N'U') OR d.referenced_id = OBJECT_ID(@label, N'V'))
          AND o.object_id <> ISNULL(OBJECT_ID(@label, N'V'), 0);
        """;

    /// <summary>The altered columns: <c>(VALUES (@c0, @r0, @l0), ...)</c> with their column ids (none: no row).</summary>
    internal static string Altered(int columns) => columns == 0
        ? "SELECT CAST(NULL AS int) AS column_id, CAST(NULL AS sysname) AS name, CAST(0 AS bit) AS retypes, CAST(0 AS bit) AS lengthens WHERE 1 = 0"
        : "SELECT c.column_id, c.name, v.retypes, v.lengthens FROM (VALUES " +
          string.Join(", ", Enumerable.Range(0, columns).Select(i => string.Create(CultureInfo.InvariantCulture, $"(@c{i}, @r{i}, @l{i})"))) +
          ") AS v (name, retypes, lengthens) INNER JOIN sys.columns AS c ON c.object_id = OBJECT_ID(@table, N'U') AND c.name = v.name";

    /// <summary>What blocks ALTER COLUMN on the altered columns: one row per object (name, column, kind).</summary>
    internal static string Blockers(int columns) => $"""
        WITH a AS ({Altered(columns)})
        SELECT N'index ' + QUOTENAME(i.name) + N' on ' + @table, a.name, N'index'
        FROM a INNER JOIN sys.index_columns AS ic ON ic.object_id = OBJECT_ID(@table, N'U') AND ic.column_id = a.column_id
        INNER JOIN sys.indexes AS i ON i.object_id = ic.object_id AND i.index_id = ic.index_id
        WHERE i.is_primary_key = 0 AND a.lengthens = 0
        UNION ALL
        SELECT N'statistics ' + QUOTENAME(s.name) + N' on ' + @table, a.name, N'statistics'
        FROM a INNER JOIN sys.stats_columns AS sc ON sc.object_id = OBJECT_ID(@table, N'U') AND sc.column_id = a.column_id
        INNER JOIN sys.stats AS s ON s.object_id = sc.object_id AND s.stats_id = sc.stats_id
        WHERE s.user_created = 1 AND a.lengthens = 0
        UNION ALL
        SELECT N'constraint ' + QUOTENAME(o.name) + N' on ' + @table, a.name, N'constraint'
        FROM a INNER JOIN sys.objects AS o ON o.parent_object_id = OBJECT_ID(@table, N'U')
        WHERE (o.type = 'D' AND a.retypes = 1 AND EXISTS (SELECT 1 FROM sys.default_constraints AS dc WHERE dc.object_id = o.object_id AND dc.parent_column_id = a.column_id))
           OR (o.type = 'C' AND a.lengthens = 0 AND EXISTS (SELECT 1 FROM sys.check_constraints AS cc WHERE cc.object_id = o.object_id
                                                             AND (cc.parent_column_id = a.column_id OR CHARINDEX(QUOTENAME(a.name), cc.definition) > 0)))
           OR (o.type = 'F' AND EXISTS (SELECT 1 FROM sys.foreign_key_columns AS fk WHERE fk.constraint_object_id = o.object_id AND fk.parent_column_id = a.column_id))
        UNION ALL
        SELECT N'constraint ' + QUOTENAME(OBJECT_NAME(fk.constraint_object_id)) + N' on ' + QUOTENAME(OBJECT_SCHEMA_NAME(fk.parent_object_id)) + N'.' + QUOTENAME(OBJECT_NAME(fk.parent_object_id)), a.name, N'constraint'
        FROM a INNER JOIN sys.foreign_key_columns AS fk ON fk.referenced_object_id = OBJECT_ID(@table, N'U') AND fk.referenced_column_id = a.column_id
        UNION ALL
        SELECT N'computed column ' + QUOTENAME(cc.name) + N' of ' + @table, a.name, N'computed'
        FROM a INNER JOIN sys.computed_columns AS cc ON cc.object_id = OBJECT_ID(@table, N'U') AND CHARINDEX(QUOTENAME(a.name), cc.definition) > 0
        UNION ALL
        SELECT LOWER(REPLACE(o.type_desc, N'_', N' ')) + N' ' + QUOTENAME(SCHEMA_NAME(o.schema_id)) + N'.' + QUOTENAME(o.name), a.name, N'bound'
        FROM a INNER JOIN sys.sql_expression_dependencies AS d ON d.referenced_id = OBJECT_ID(@table, N'U') AND d.referenced_minor_id = a.column_id AND d.is_schema_bound_reference = 1
        INNER JOIN sys.objects AS o ON o.object_id = d.referencing_id
        WHERE o.type <> 'V' OR EXISTS (SELECT 1 FROM sys.indexes AS i WHERE i.object_id = o.object_id AND i.index_id > 0)
        UNION ALL
        SELECT N'security policy ' + QUOTENAME(OBJECT_SCHEMA_NAME(p.object_id)) + N'.' + QUOTENAME(OBJECT_NAME(p.object_id)), a.name, N'policy'
        FROM a INNER JOIN sys.security_predicates AS p ON p.target_object_id = OBJECT_ID(@table, N'U') AND CHARINDEX(QUOTENAME(a.name), p.predicate_definition) > 0
        UNION ALL
        SELECT N'partition scheme ' + QUOTENAME(ps.name) + N' of ' + @table, a.name, N'partitioned'
        FROM a INNER JOIN sys.indexes AS i ON i.object_id = OBJECT_ID(@table, N'U') AND i.index_id IN (0, 1)
        INNER JOIN sys.partition_schemes AS ps ON ps.data_space_id = i.data_space_id
        WHERE a.retypes = 1
        UNION ALL
        SELECT N'mask on column ' + QUOTENAME(a.name) + N' of ' + @table, a.name, N'mask'
        FROM a INNER JOIN sys.masked_columns AS m ON m.object_id = OBJECT_ID(@table, N'U') AND m.column_id = a.column_id
        WHERE m.is_masked = 1 AND a.retypes = 1 AND HAS_PERMS_BY_NAME(NULL, N'DATABASE', N'ALTER ANY MASK') = 0;
        """;

    /// <summary>
    /// Masks on columns whose type changes: the statements that drop each and add it again with its function (a literal,
    /// escaped by the server: DDL takes no parameters).
    /// </summary>
    internal static string Masks(int columns) => $"""
        WITH a AS ({Altered(columns)})
        SELECT N'mask on column ' + QUOTENAME(a.name) + N' of ' + @table,
               N'ALTER TABLE ' + @table + N' ALTER COLUMN ' + QUOTENAME(a.name) + N' DROP MASKED;',
               N'ALTER TABLE ' + @table + N' ALTER COLUMN ' + QUOTENAME(a.name) + N' ADD MASKED WITH (FUNCTION = N''' + REPLACE(m.masking_function, N'''', N'''''') + N''');'
        FROM a INNER JOIN sys.masked_columns AS m ON m.object_id = OBJECT_ID(@table, N'U') AND m.column_id = a.column_id
        WHERE m.is_masked = 1 AND a.retypes = 1
        ORDER BY a.name;
        """;

    /// <summary>
    /// Schema-bound objects on the altered columns or on the label view, and schema-bound objects on those, with their
    /// definition (NULL when encrypted), whether they are views, and whether they are indexed.
    /// </summary>
    internal static string Bound(int columns) => $"""
        WITH a AS ({Altered(columns)}),
        bound AS (
            SELECT d.referencing_id AS object_id, 1 AS depth
            FROM sys.sql_expression_dependencies AS d
            WHERE d.is_schema_bound_reference = 1
              AND ((d.referenced_id = OBJECT_ID(@table, N'U') AND d.referenced_minor_id IN (SELECT column_id FROM a)) OR d.referenced_id = OBJECT_ID(@label, N'V'))
            UNION ALL
            SELECT d.referencing_id, b.depth + 1
            FROM bound AS b INNER JOIN sys.sql_expression_dependencies AS d ON d.referenced_id = b.object_id AND d.is_schema_bound_reference = 1
            WHERE d.referencing_id <> b.object_id),
        deepest AS (SELECT object_id, MAX(depth) AS depth FROM bound GROUP BY object_id)
        SELECT QUOTENAME(SCHEMA_NAME(o.schema_id)) + N'.' + QUOTENAME(o.name), LOWER(REPLACE(o.type_desc, N'_', N' ')), b.depth, m.definition,
               CASE WHEN o.type = 'V' THEN 1 ELSE 0 END,
               CASE WHEN EXISTS (SELECT 1 FROM sys.indexes AS i WHERE i.object_id = o.object_id AND i.index_id > 0) THEN 1 ELSE 0 END
        FROM deepest AS b INNER JOIN sys.objects AS o ON o.object_id = b.object_id
        LEFT JOIN sys.sql_modules AS m ON m.object_id = o.object_id
        ORDER BY b.depth, SCHEMA_NAME(o.schema_id), o.name;
        """;

    public static async Task<Dependents> ReadAsync(
        SqlSession session, string table, string? label, IReadOnlyList<ColumnAlteration> alterations, CancellationToken ct)
    {
        List<SqlParameter> Parameters()
        {
            var list = new List<SqlParameter>
            {
                SqlServerValues.Parameter("@table", ColumnStorageType.String, table, 4000),
                SqlServerValues.Parameter("@label", ColumnStorageType.String, label, 4000),
            };
            for (var i = 0; i < alterations.Count; i++)
            {
                var n = i.ToString(CultureInfo.InvariantCulture);
                list.Add(SqlServerValues.Parameter("@c" + n, ColumnStorageType.String, alterations[i].Name, SqlServerDialect.Identifiers.MaxLength));
                list.Add(SqlServerValues.Parameter("@r" + n, ColumnStorageType.Boolean, alterations[i].Retypes || alterations[i].Drops));
                list.Add(SqlServerValues.Parameter("@l" + n, ColumnStorageType.Boolean, alterations[i].Lengthens));
            }

            return list;
        }

        var blockers = new List<BlockingObject>();
        var objects = new List<DependentObject>();
        if (alterations.Count > 0)
        {
            await using (var command = session.Command(Blockers(alterations.Count), Parameters()))
            {
                foreach (var (name, column, kind) in await SqlSession.ReadAllAsync(command, r => (r.GetString(0), r.GetString(1), r.GetString(2)), ct).ConfigureAwait(false))
                {
                    blockers.Add(new BlockingObject(name, Reason(kind, column), Remedy(kind, name)));
                }
            }

            await using (var command = session.Command(Masks(alterations.Count), Parameters()))
            {
                objects.AddRange(await SqlSession.ReadAllAsync(
                    command, r => new DependentObject(r.GetString(0), [new SqlStatement(r.GetString(1))], [new SqlStatement(r.GetString(2))]), ct).ConfigureAwait(false));
            }
        }

        List<(string Qualified, string Type, string? Definition, bool View, bool Indexed)> bound;
        await using (var command = session.Command(Bound(alterations.Count), Parameters()))
        {
            bound = await SqlSession.ReadAllAsync(
                command, r => (r.GetString(0), r.GetString(1), r.IsDBNull(3) ? null : r.GetString(3), r.GetInt32(4) == 1, r.GetInt32(5) == 1), ct).ConfigureAwait(false);
        }

        var views = new List<DependentObject>();
        foreach (var (qualified, type, definition, view, indexed) in bound)
        {
            if (!view || indexed || definition is null)
            {
                blockers.Add(new BlockingObject(
                    $"{type} {qualified}",
                    !view ? "it is schema-bound to the table's columns (or to a view that must be dropped), and SQL Server refuses to change them while it exists."
                        : indexed ? "it is an indexed view on columns the change alters; its indexes cannot be kept through dropping and creating it again."
                        : "it is schema-bound and encrypted (WITH ENCRYPTION), so its definition cannot be read to create it again.",
                    "Drop it (or remove SCHEMABINDING); the change then goes ahead, and it can be created again afterwards."));
                continue;
            }

            List<SqlStatement> recreate =
                [new SqlStatement(CreateFromDefinition, [SqlServerValues.Parameter("@definition", ColumnStorageType.String, definition)])];
            recreate.AddRange(await DecorationsAsync(session, qualified, columns: true, ct).ConfigureAwait(false));
            views.Add(new DependentObject($"{type} {qualified}", [new SqlStatement($"DROP VIEW {qualified};")], recreate));
        }

        objects.InsertRange(0, views);
        if (alterations.Count > 0 || label is not null)
        {
            await using var command = session.Command(PlainViews, Parameters());
            objects.AddRange((await SqlSession.ReadAllAsync(command, r => r.GetString(0), ct).ConfigureAwait(false)).Select(view => new DependentObject(
                $"view {view}", [], [new SqlStatement(RefreshView, [SqlServerValues.Parameter("@view", ColumnStorageType.String, view, 4000)])])));
        }

        var labelView = label is null ? [] : await DecorationsAsync(session, label, columns: false, ct).ConfigureAwait(false);
        return new Dependents(objects, labelView, blockers);
    }

    /// <summary>An object's permissions and extended properties (with <paramref name="columns"/>, its columns' too) as statements.</summary>
    private static async Task<IReadOnlyList<SqlStatement>> DecorationsAsync(SqlSession session, string qualified, bool columns, CancellationToken ct)
    {
        SqlParameter[] Parameters() =>
        [
            SqlServerValues.Parameter("@object", ColumnStorageType.String, qualified, 4000),
            SqlServerValues.Parameter("@columns", ColumnStorageType.Boolean, columns),
        ];

        var statements = new List<SqlStatement>();
        await using (var command = session.Command(Permissions, Parameters()))
        {
            statements.AddRange((await SqlSession.ReadAllAsync(command, r => r.GetString(0), ct).ConfigureAwait(false)).Select(s => new SqlStatement(s)));
        }

        await using (var command = session.Command(ExtendedProperties, Parameters()))
        {
            statements.AddRange(await SqlSession.ReadAllAsync(command, r => new SqlStatement(AddExtendedProperty,
            [
                SqlServerValues.Parameter("@schema", ColumnStorageType.String, r.GetString(0), SqlServerDialect.Identifiers.MaxLength),
                SqlServerValues.Parameter("@view", ColumnStorageType.String, r.GetString(1), SqlServerDialect.Identifiers.MaxLength),
                SqlServerValues.Parameter("@name", ColumnStorageType.String, r.GetString(2), SqlServerDialect.Identifiers.MaxLength),
                new SqlParameter("@value", SqlDbType.Variant) { Value = r.GetValue(3) },
                SqlServerValues.Parameter("@columnlevel", ColumnStorageType.String, r.IsDBNull(4) ? null : "COLUMN", SqlServerDialect.Identifiers.MaxLength),
                SqlServerValues.Parameter("@column", ColumnStorageType.String, r.IsDBNull(4) ? null : r.GetString(4), SqlServerDialect.Identifiers.MaxLength),
            ]), ct).ConfigureAwait(false));
        }

        return statements;
    }

    private static string Reason(string kind, string column) => kind switch
    {
        "index" => $"it includes column {column}, and SQL Server refuses to change the type of an indexed column (only a longer string is allowed).",
        "statistics" => $"these statistics (CREATE STATISTICS) include column {column}, whose type SQL Server then refuses to change.",
        "constraint" => $"it uses column {column}, which SQL Server refuses to alter while the constraint exists.",
        "computed" => $"it is computed from column {column}, which SQL Server refuses to alter while it exists.",
        "bound" => $"it is schema-bound to column {column} (or is an indexed view on it), so SQL Server refuses to alter the column while it exists.",
        "policy" => $"its predicate binds column {column}, which SQL Server refuses to alter while the policy exists.",
        "partitioned" => $"the table is partitioned, and SQL Server cannot change the type of a column ({column}) of a partitioned table.",
        "mask" => $"column {column} is masked and its type changes: the mask must be dropped and added again, which needs ALTER ANY MASK.",
        _ => $"it depends on column {column}.",
    };

    private static string Remedy(string kind, string name) => kind switch
    {
        "mask" => "Grant ALTER ANY MASK to the worker's user (or drop the mask); the change then goes ahead and keeps the mask.",
        "partitioned" => "Move the table off the partition scheme; the change then goes ahead.",
        "policy" => $"Drop the predicate that binds the column from {name} (ALTER SECURITY POLICY ... DROP ... PREDICATE); the change then goes ahead, and it can be added again afterwards.",
        _ => $"Drop {name}; the change then goes ahead, and it can be created again afterwards.",
    };
}
