using System.Data.Common;

namespace ReportingSync.Sql;

/// <summary>
/// A list of ids as a statement can use it, whatever the dialect passes it as (an array parameter, a JSON text, a
/// session temp table): <see cref="In"/> tests membership (<c>"Id" IN ...</c>); <see cref="Rows"/> yields the ids in list
/// order as a row source aliased <c>d</c>, with <see cref="Id"/>, its text (<see cref="IdText"/>, lowercase as Dataverse
/// writes it) and its position (<see cref="Position"/>, counted from <see cref="FirstPosition"/>).
/// </summary>
internal sealed class IdList(string @in, string rows, string id, string idText, string position, int firstPosition, Func<IEnumerable<DbParameter>> parameters)
{
    /// <summary>The right-hand side of a membership test, e.g. <c>= ANY(@ids)</c>.</summary>
    public string In { get; } = @in;

    public string Rows { get; } = rows;

    public string Id { get; } = id;

    public string IdText { get; } = idText;

    public string Position { get; } = position;

    /// <summary>The position of the list's first id (1 where the dialect counts as SQL's ordinality does, else 0).</summary>
    public int FirstPosition { get; } = firstPosition;

    /// <summary>Adds the parameters the list needs to a command (fresh instances each time).</summary>
    public void Bind(DbCommand command) => command.Parameters.AddRange(parameters().ToArray());

    /// <summary>
    /// The ids before the position in <paramref name="end"/> (a parameter, bound by <paramref name="bindEnd"/>), as a list
    /// of their own over the same staged ids: nothing is staged again (see <see cref="SqlDialect.Head"/>). The end is a
    /// parameter, not a literal, so the statement's text, and the plan cached for it, is the same for every count.
    /// </summary>
    public IdList Head(string end, Func<DbParameter> bindEnd)
    {
        var within = $"{Position} < {end}";
        return new IdList(
            $"IN (SELECT {Id} FROM {Rows} WHERE {within})", $"(SELECT * FROM {Rows} WHERE {within}) AS d", Id, IdText, Position, FirstPosition,
            () => parameters().Append(bindEnd()));
    }
}
