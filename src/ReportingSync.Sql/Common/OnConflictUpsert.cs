using System.Text;

namespace ReportingSync.Sql;

/// <summary>
/// <see cref="UpsertSpec"/> as PostgreSQL and SQLite spell it: <c>INSERT INTO t AS t ... ON CONFLICT (key) DO UPDATE SET
/// ... WHERE guard</c>, the incoming row named <c>excluded</c>. A guard that fails leaves the row alone and counts nothing.
/// A SELECT source always gets a WHERE, which keeps SQLite from reading ON CONFLICT as a join constraint.
/// </summary>
internal static class OnConflictUpsert
{
    public static string Render(UpsertSpec spec)
    {
        var sql = new StringBuilder("INSERT INTO ").Append(spec.Table).Append(" AS t (").AppendJoin(", ", spec.Columns).Append(")\n");
        if (spec.From is not null)
        {
            sql.Append("SELECT ").AppendJoin(", ", spec.Values).Append(" FROM ").Append(spec.From).Append(" WHERE ").Append(spec.OnlyIf ?? "true").Append('\n');
        }
        else if (spec.OnlyIf is not null)
        {
            sql.Append("SELECT ").AppendJoin(", ", spec.Values).Append(" WHERE ").Append(spec.OnlyIf).Append('\n');
        }
        else
        {
            sql.Append("VALUES (").AppendJoin(", ", spec.Values).Append(")\n");
        }

        sql.Append("ON CONFLICT (").AppendJoin(", ", spec.Key).Append(") DO ");
        if (spec.Update.Count == 0 && spec.Set.Count == 0)
        {
            return sql.Append("NOTHING;").ToString();
        }

        sql.Append("UPDATE SET ").AppendJoin(", ", spec.Update.Select(c => $"{c} = excluded.{c}").Concat(spec.Set.Select(s => $"{s.Column} = {s.Value}")));
        if (spec.When is not null)
        {
            sql.Append("\nWHERE ").Append(spec.When("t", "excluded"));
        }

        return sql.Append(';').ToString();
    }
}
