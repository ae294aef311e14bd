namespace ReportingSync.Sql;

/// <summary>The statement forms each dialect spells its own way.</summary>
internal abstract partial class SqlDialect
{
    public abstract string True { get; }

    public abstract string False { get; }

    /// <summary>The database's UTC clock as an expression of the column type DateTime values are stored in.</summary>
    public abstract string UtcNow { get; }

    /// <summary>The database's UTC clock plus a duration bound by <see cref="DurationParameter"/>.</summary>
    public abstract string UtcNowPlus(string parameter);

    /// <summary>A duration in the form <see cref="UtcNowPlus"/> adds.</summary>
    public abstract System.Data.Common.DbParameter DurationParameter(string name, TimeSpan duration);

    /// <summary><paramref name="a"/> equals <paramref name="b"/>, NULL equal to NULL.</summary>
    public abstract string NullSafeEquals(string a, string b);

    /// <summary>
    /// True when any of <paramref name="left"/> differs from the column at the same position of <paramref name="right"/>,
    /// NULL equal to NULL; never NULL itself (it guards an update).
    /// </summary>
    public virtual string RowsDiffer(IReadOnlyList<string> left, IReadOnlyList<string> right) =>
        "NOT (" + string.Join(" AND ", left.Select((l, i) => NullSafeEquals(l, right[i]))) + ")";

    /// <summary>Insert or update one row or a set of rows, guarded (see <see cref="UpsertSpec"/>).</summary>
    public abstract string Upsert(UpsertSpec spec);

    /// <summary><c>DELETE FROM table AS alias</c> (followed by a WHERE that may use the alias).</summary>
    public virtual string DeleteFrom(string table, string alias) => $"DELETE FROM {table} AS {alias}";

    /// <summary><c>UPDATE table AS alias SET assignments</c> (followed by a WHERE that may use the alias).</summary>
    public virtual string UpdateSet(string table, string alias, string assignments) => $"UPDATE {table} AS {alias} SET {assignments}";

    /// <summary>An update of <paramref name="table"/> joined to <paramref name="source"/> (PostgreSQL's and SQLite's UPDATE ... FROM).</summary>
    public virtual string UpdateFrom(string table, string alias, string assignments, string source, string sourceAlias, string on) =>
        $"UPDATE {table} AS {alias} SET {assignments} FROM {source} AS {sourceAlias} WHERE {on}";

    /// <summary>An INSERT of one row that returns the identity <paramref name="id"/> it was given.</summary>
    public virtual string InsertReturning(string table, string columns, string values, string id) =>
        $"INSERT INTO {table} ({columns}) VALUES ({values}) RETURNING {id};";

    /// <summary>The first <paramref name="limitParameter"/> rows of a SELECT (text without the leading SELECT and the semicolon).</summary>
    public virtual string SelectFirst(string selectBody, string limitParameter) => $"SELECT {selectBody} LIMIT {limitParameter};";

    /// <summary>The type a CAST to a 64-bit integer names (reconciliation's typed NULLs).</summary>
    public abstract string BigIntCast { get; }

    /// <summary>Parameters one request may carry (SQL Server takes 2,100; the others far more).</summary>
    public virtual int MaxParameters => 30_000;

    /// <summary>A boolean column reference is false (<c>NOT "IsDeleted"</c>, <c>[IsDeleted] = 0</c>).</summary>
    public virtual string IsFalse(string column) => $"{column} = {False}";

    /// <summary><c>count(*)</c> as a 64-bit integer.</summary>
    public virtual string CountAll => "count(*)";

    /// <summary>The ORDER BY expression that sorts ids as their text does (SQL Server sorts uniqueidentifier by its last bytes first).</summary>
    public virtual string OrderById(string column) => column;

    /// <summary>
    /// Empties a table inside the page's transaction (a read that starts over: <c>PageCommit.ClearTable</c>), so the clear
    /// and the new read's first page commit or roll back together. The statement must not cost time per row: a seed that
    /// starts over may find millions of rows, and a row-by-row DELETE of them ran past the command timeout and was retried
    /// for ever. Each dialect says which statement that is and what it locks.
    /// </summary>
    public abstract string ClearTable(string qualified);
}
