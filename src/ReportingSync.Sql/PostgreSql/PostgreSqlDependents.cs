using NpgsqlTypes;
using ReportingSync.Model;

namespace ReportingSync.Sql.PostgreSql;

/// <summary>
/// What DDL on an entity table would break in PostgreSQL, from the catalog (<c>pg_depend</c>, <c>pg_rewrite</c>), with the
/// statements that keep it, written by the server itself (<c>format</c> with <c>%I</c> and <c>%L</c>, <c>pg_get_viewdef</c>,
/// <c>pg_get_indexdef</c>, <c>pg_get_triggerdef</c>, <c>aclexplode</c>) so names and comments are quoted as PostgreSQL
/// quotes them. PostgreSQL refuses to change the type of (or drop) a column that a view, a materialized view, a rule,
/// a trigger condition or a policy uses, and to drop a view that another object uses; it converts indexes,
/// constraints, defaults and statistics on the column itself. So:
/// <list type="bullet">
/// <item>views and materialized views on the altered columns or on the label view (and views on those, to any depth)
/// are kept: dropped before the DDL and created again after it with their options, owner, grants (column grants
/// too), comments, column defaults, indexes (materialized views), triggers and rules. A materialized view is filled
/// again (<c>WITH DATA</c>) from the table as the change leaves it;</item>
/// <item>the label view's grants and comment are kept (the view itself is ours and made again from the layout);</item>
/// <item>what cannot be kept blocks the change: a view whose owner the worker's role cannot act as (it may not drop
/// it) or in a schema where it may not create; and any other object on an altered column (a trigger's WHEN or
/// UPDATE OF, a policy, a rule on the table, a publication's row filter, a function body) or on a view that must be
/// dropped.</item>
/// </list>
/// Plain re-seeds run no DDL and need none of this: the table keeps its identity, so its own indexes, grants, comments,
/// triggers, policies and the views on it stay as they are.
/// </summary>
internal static class PostgreSqlDependents
{
    /// <summary>
    /// One row per object: <c>kind</c> (<c>keep</c>, <c>label</c>, <c>block</c>), its name, why it blocks and what to do
    /// (blockers), the statements that drop it and those that create it again (the label view's: its grants and comment),
    /// in creation order (<c>ord</c>: views on views come after the views they use).
    /// </summary>
    internal const string Query = """
        WITH RECURSIVE
        target AS (SELECT to_regclass(@table) AS tbl, to_regclass(@label) AS label),
        cols AS (SELECT a.attnum, a.attname FROM target, pg_attribute a WHERE a.attrelid = target.tbl AND a.attname = ANY(@columns) AND NOT a.attisdropped),
        views(oid, depth) AS (
            SELECT r.ev_class, 1 FROM target, pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
            WHERE d.classid = 'pg_rewrite'::regclass AND d.refclassid = 'pg_class'::regclass
              AND ((d.refobjid = target.tbl AND d.refobjsubid IN (SELECT attnum FROM cols)) OR d.refobjid = target.label)
              AND r.ev_class <> target.tbl AND r.ev_class IS DISTINCT FROM target.label
            UNION
            SELECT r.ev_class, v.depth + 1 FROM views v
            JOIN pg_depend d ON d.refobjid = v.oid AND d.refclassid = 'pg_class'::regclass AND d.classid = 'pg_rewrite'::regclass
            JOIN pg_rewrite r ON r.oid = d.objid
            WHERE r.ev_class <> v.oid),
        kept AS (
            SELECT c.oid, max(v.depth) AS depth, c.relkind, c.relowner, c.relacl, c.reloptions, c.relnamespace, c.relispopulated, c.reltype, n.nspname,
                   CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'VIEW' END AS kind, format('%I.%I', n.nspname, c.relname) AS ident
            FROM views v JOIN pg_class c ON c.oid = v.oid JOIN pg_namespace n ON n.oid = c.relnamespace
            GROUP BY c.oid, n.nspname),
        gone AS (SELECT oid, reltype, ident FROM kept UNION ALL SELECT c.oid, c.reltype, c.oid::regclass::text FROM target JOIN pg_class c ON c.oid = target.label)
        SELECT 'keep' AS kind, k.depth AS ord, lower(k.kind) || ' ' || k.ident AS name,
               CASE WHEN NOT pg_has_role(k.relowner, 'USAGE')
                        THEN format('it is owned by %I, a role the worker''s role %I is not a member of, so the worker may not drop it and create it again around the change.', pg_get_userbyid(k.relowner), current_user)
                    WHEN NOT has_schema_privilege(k.relnamespace, 'CREATE')
                        THEN format('it is in schema %I, where the worker''s role %I may not create it again after the change.', k.nspname, current_user)
               END AS reason,
               CASE WHEN NOT pg_has_role(k.relowner, 'USAGE')
                        THEN format('Grant %I to %I (or drop the view); the change then goes ahead and keeps the view.', pg_get_userbyid(k.relowner), current_user)
                    ELSE format('Grant CREATE on schema %I to %I (or drop the view); the change then goes ahead and keeps the view.', k.nspname, current_user)
               END AS remedy,
               ARRAY[format('DROP %s %s;', k.kind, k.ident)] AS drop_sql,
               ARRAY[CASE k.relkind
                       WHEN 'm' THEN format('CREATE MATERIALIZED VIEW %s%s AS %s WITH %sDATA;', k.ident,
                                            CASE WHEN k.reloptions IS NULL THEN '' ELSE ' WITH (' || array_to_string(k.reloptions, ', ') || ')' END,
                                            regexp_replace(pg_get_viewdef(k.oid), ';\s*$', ''), CASE WHEN k.relispopulated THEN '' ELSE 'NO ' END)
                       ELSE format('CREATE VIEW %s%s AS %s', k.ident,
                                   CASE WHEN k.reloptions IS NULL THEN '' ELSE ' WITH (' || array_to_string(k.reloptions, ', ') || ')' END, pg_get_viewdef(k.oid))
                     END,
                     format('ALTER %s %s OWNER TO %I;', k.kind, k.ident, pg_get_userbyid(k.relowner))]
               || ARRAY(SELECT format('GRANT %s ON %s TO %s%s;', a.privilege_type, k.ident,
                                      CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
                                      CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
                        FROM aclexplode(k.relacl) a WHERE a.grantee <> k.relowner ORDER BY a.grantee, a.privilege_type)
               || ARRAY(SELECT format('GRANT %s (%I) ON %s TO %s%s;', a.privilege_type, att.attname, k.ident,
                                      CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
                                      CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
                        FROM pg_attribute att, aclexplode(att.attacl) a
                        WHERE att.attrelid = k.oid AND att.attnum > 0 AND NOT att.attisdropped ORDER BY att.attnum, a.grantee, a.privilege_type)
               || ARRAY(SELECT format('COMMENT ON %s %s IS %L;', k.kind, k.ident, d.description)
                        FROM pg_description d WHERE d.classoid = 'pg_class'::regclass AND d.objoid = k.oid AND d.objsubid = 0)
               || ARRAY(SELECT format('COMMENT ON COLUMN %s.%I IS %L;', k.ident, att.attname, d.description)
                        FROM pg_description d JOIN pg_attribute att ON att.attrelid = d.objoid AND att.attnum = d.objsubid
                        WHERE d.classoid = 'pg_class'::regclass AND d.objoid = k.oid AND d.objsubid > 0 ORDER BY att.attnum)
               || ARRAY(SELECT format('ALTER VIEW %s ALTER COLUMN %I SET DEFAULT %s;', k.ident, att.attname, pg_get_expr(ad.adbin, ad.adrelid))
                        FROM pg_attrdef ad JOIN pg_attribute att ON att.attrelid = ad.adrelid AND att.attnum = ad.adnum WHERE ad.adrelid = k.oid ORDER BY att.attnum)
               || ARRAY(SELECT pg_get_indexdef(i.indexrelid) || ';' FROM pg_index i WHERE i.indrelid = k.oid ORDER BY i.indexrelid)
               || ARRAY(SELECT pg_get_triggerdef(t.oid) || ';' FROM pg_trigger t WHERE t.tgrelid = k.oid AND NOT t.tgisinternal ORDER BY t.tgname)
               || ARRAY(SELECT pg_get_ruledef(r.oid) FROM pg_rewrite r WHERE r.ev_class = k.oid AND r.rulename <> '_RETURN' ORDER BY r.rulename) AS recreate_sql
        FROM kept k
        UNION ALL
        SELECT 'label', 0, 'view ' || c.oid::regclass::text, NULL, NULL, ARRAY[]::text[],
               ARRAY(SELECT format('GRANT %s ON %s TO %s%s;', a.privilege_type, c.oid::regclass,
                                   CASE a.grantee WHEN 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END,
                                   CASE WHEN a.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END)
                     FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner ORDER BY a.grantee, a.privilege_type)
               || ARRAY(SELECT format('COMMENT ON VIEW %s IS %L;', c.oid::regclass, d.description)
                        FROM pg_description d WHERE d.classoid = 'pg_class'::regclass AND d.objoid = c.oid AND d.objsubid = 0)
        FROM target JOIN pg_class c ON c.oid = target.label
        UNION ALL
        SELECT 'block', 0, pg_describe_object(d.classid, d.objid, d.objsubid),
               format('it uses column %I of %s, which the change alters; PostgreSQL refuses to alter a column that it uses.', cols.attname, target.tbl::regclass),
               'Drop it; the change then goes ahead, and it can be created again afterwards.', NULL, NULL
        FROM target, pg_depend d JOIN cols ON cols.attnum = d.refobjsubid
        WHERE d.refclassid = 'pg_class'::regclass AND d.refobjid = target.tbl AND d.deptype = 'n'
          AND NOT (d.classid = 'pg_rewrite'::regclass AND EXISTS (SELECT 1 FROM pg_rewrite r JOIN gone g ON g.oid = r.ev_class WHERE r.oid = d.objid))
        UNION ALL
        SELECT 'block', 0, pg_describe_object(d.classid, d.objid, d.objsubid),
               format('it depends on %s, which the change must drop and create again.', g.ident),
               'Drop it; the change then goes ahead, and it can be created again afterwards.', NULL, NULL
        FROM gone g JOIN pg_depend d ON (d.refclassid = 'pg_class'::regclass AND d.refobjid = g.oid) OR (d.refclassid = 'pg_type'::regclass AND d.refobjid = g.reltype)
        WHERE d.deptype = 'n'
          AND NOT (d.classid = 'pg_rewrite'::regclass AND EXISTS (SELECT 1 FROM pg_rewrite r JOIN gone o ON o.oid = r.ev_class WHERE r.oid = d.objid))
        ORDER BY 1, 2, 3;
        """;

    public static async Task<Dependents> ReadAsync(SqlSession session, string table, string? labelView, IReadOnlyList<string> columns, CancellationToken ct)
    {
        await using var command = session.Command(
            Query,
            PostgreSqlValues.Parameter("table", ColumnStorageType.String, table),
            PostgreSqlValues.Parameter("label", ColumnStorageType.String, labelView),
            PostgreSqlValues.Parameter("columns", NpgsqlDbType.Array | NpgsqlDbType.Text, columns.ToArray()));
        var rows = await SqlSession.ReadAllAsync(command, r => (
            Kind: r.GetString(0),
            Name: r.GetString(2),
            Reason: r.IsDBNull(3) ? null : r.GetString(3),
            Remedy: r.IsDBNull(4) ? null : r.GetString(4),
            Drop: r.IsDBNull(5) ? [] : r.GetFieldValue<string[]>(5),
            Recreate: r.IsDBNull(6) ? [] : r.GetFieldValue<string[]>(6)), ct).ConfigureAwait(false);

        var blockers = rows.Where(r => r.Reason is not null).Select(r => new BlockingObject(r.Name, r.Reason!, r.Remedy!)).Distinct().ToList();
        var kept = rows.Where(r => r.Kind == "keep" && r.Reason is null)
            .Select(r => new DependentObject(r.Name, [.. r.Drop.Select(s => new SqlStatement(s))], [.. r.Recreate.Select(s => new SqlStatement(s))]))
            .ToList();
        var label = rows.Where(r => r.Kind == "label").SelectMany(r => r.Recreate).Select(s => new SqlStatement(s)).ToList();
        return new Dependents(kept, label, blockers);
    }
}
