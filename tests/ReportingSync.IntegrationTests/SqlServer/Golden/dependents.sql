-- dependents: what blocks ALTER COLUMN (two altered columns)
WITH a AS (SELECT c.column_id, c.name, v.retypes, v.lengthens FROM (VALUES (@c0, @r0, @l0), (@c1, @r1, @l1)) AS v (name, retypes, lengthens) INNER JOIN sys.columns AS c ON c.object_id = OBJECT_ID(@table, N'U') AND c.name = v.name)
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

-- dependents: masks to drop and add again (one column)
WITH a AS (SELECT c.column_id, c.name, v.retypes, v.lengthens FROM (VALUES (@c0, @r0, @l0)) AS v (name, retypes, lengthens) INNER JOIN sys.columns AS c ON c.object_id = OBJECT_ID(@table, N'U') AND c.name = v.name)
SELECT N'mask on column ' + QUOTENAME(a.name) + N' of ' + @table,
       N'ALTER TABLE ' + @table + N' ALTER COLUMN ' + QUOTENAME(a.name) + N' DROP MASKED;',
       N'ALTER TABLE ' + @table + N' ALTER COLUMN ' + QUOTENAME(a.name) + N' ADD MASKED WITH (FUNCTION = N''' + REPLACE(m.masking_function, N'''', N'''''') + N''');'
FROM a INNER JOIN sys.masked_columns AS m ON m.object_id = OBJECT_ID(@table, N'U') AND m.column_id = a.column_id
WHERE m.is_masked = 1 AND a.retypes = 1
ORDER BY a.name;

-- dependents: schema-bound objects on the columns or the label view (one column)
WITH a AS (SELECT c.column_id, c.name, v.retypes, v.lengthens FROM (VALUES (@c0, @r0, @l0)) AS v (name, retypes, lengthens) INNER JOIN sys.columns AS c ON c.object_id = OBJECT_ID(@table, N'U') AND c.name = v.name),
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

-- dependents: schema-bound objects on the label view (a label view refresh)
WITH a AS (SELECT CAST(NULL AS int) AS column_id, CAST(NULL AS sysname) AS name, CAST(0 AS bit) AS retypes, CAST(0 AS bit) AS lengthens WHERE 1 = 0),
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

-- dependents: views to refresh
SELECT DISTINCT QUOTENAME(SCHEMA_NAME(o.schema_id)) + N'.' + QUOTENAME(o.name)
FROM sys.sql_expression_dependencies AS d
INNER JOIN sys.objects AS o ON o.object_id = d.referencing_id AND o.type = 'V'
WHERE d.is_schema_bound_reference = 0 AND (d.referenced_id = OBJECT_ID(@table, N'U') OR d.referenced_id = OBJECT_ID(@label, N'V'))
  AND o.object_id <> ISNULL(OBJECT_ID(@label, N'V'), 0);

-- dependents: permissions as statements
SELECT CASE p.state WHEN 'D' THEN N'DENY ' ELSE N'GRANT ' END + p.permission_name + N' ON OBJECT::' + QUOTENAME(OBJECT_SCHEMA_NAME(p.major_id)) + N'.' + QUOTENAME(OBJECT_NAME(p.major_id))
       + ISNULL(N' (' + QUOTENAME(c.name) + N')', N'') + N' TO ' + QUOTENAME(pr.name) + CASE p.state WHEN 'W' THEN N' WITH GRANT OPTION' ELSE N'' END + N';'
FROM sys.database_permissions AS p
INNER JOIN sys.database_principals AS pr ON pr.principal_id = p.grantee_principal_id
LEFT JOIN sys.columns AS c ON c.object_id = p.major_id AND c.column_id = p.minor_id AND p.minor_id <> 0
WHERE p.class = 1 AND p.major_id = OBJECT_ID(@object) AND p.state IN ('G', 'W', 'D') AND (p.minor_id = 0 OR @columns = 1)
ORDER BY p.minor_id, pr.name, p.permission_name;

-- dependents: extended properties
SELECT OBJECT_SCHEMA_NAME(ep.major_id), OBJECT_NAME(ep.major_id), ep.name, ep.value, c.name
FROM sys.extended_properties AS ep
LEFT JOIN sys.columns AS c ON c.object_id = ep.major_id AND c.column_id = ep.minor_id AND ep.minor_id <> 0
WHERE ep.class = 1 AND ep.major_id = OBJECT_ID(@object) AND (ep.minor_id = 0 OR @columns = 1)
ORDER BY ep.minor_id, ep.name;

-- re-create: a view from its stored definition
EXEC sys.sp_executesql @definition;

-- re-create: an extended property
EXEC sys.sp_addextendedproperty @name = @name, @value = @value, @level0type = N'SCHEMA', @level0name = @schema, @level1type = N'VIEW', @level1name = @view, @level2type = @columnlevel, @level2name = @column;

-- re-create: refresh a view that is not schema-bound
EXEC sys.sp_refreshview @viewname = @view;

-- example of a written statement: drop a schema-bound view
DROP VIEW [dbo].[analyst_contacts];

-- example of a written statement: a column permission
GRANT SELECT ON OBJECT::[dbo].[analyst_contacts] ([age]) TO [powerbi_reader] WITH GRANT OPTION;

-- example of a written statement: a denial
DENY SELECT ON OBJECT::[dbo].[analyst_contacts] TO [intern];

-- example of a written statement: drop a mask
ALTER TABLE [dbo].[contact] ALTER COLUMN [birthdate] DROP MASKED;

-- example of a written statement: add the mask again
ALTER TABLE [dbo].[contact] ALTER COLUMN [birthdate] ADD MASKED WITH (FUNCTION = N'partial(1, "x", 1)');

