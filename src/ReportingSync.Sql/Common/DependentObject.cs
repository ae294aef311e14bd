namespace ReportingSync.Sql;

/// <summary>
/// An object built on an entity table (a view, a schema-bound view, a mask) that DDL on the table would break, read
/// from the catalog before the DDL: the statements that take it out of the way and the ones that put it back as it was
/// (definition, owner, grants, comments, indexes), all run in the DDL's transaction.
/// </summary>
/// <param name="Name">What it is, as the database names it (<c>view public.analyst_contacts</c>), for messages.</param>
internal sealed record DependentObject(string Name, IReadOnlyList<SqlStatement> Drop, IReadOnlyList<SqlStatement> Recreate);
