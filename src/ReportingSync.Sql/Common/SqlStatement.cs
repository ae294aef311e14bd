using System.Data.Common;

namespace ReportingSync.Sql;

/// <summary>One statement with its parameters, run once (a parameter belongs to one command).</summary>
internal sealed record SqlStatement(string Text, IReadOnlyList<DbParameter> Parameters)
{
    public SqlStatement(string text)
        : this(text, [])
    {
    }

    public Task<int> ExecuteAsync(SqlSession session, CancellationToken cancellationToken) => session.ExecuteAsync(Text, cancellationToken, Parameters);
}
