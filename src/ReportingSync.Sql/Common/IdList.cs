using System.Data.Common;

namespace ReportingSync.Sql;

/// <summary>
/// A list of ids as a statement can use it, whatever the dialect passes it as (an array parameter, a JSON text, a
/// session temp table): <see cref="In"/> tests membership (<c>"Id" IN ...</c>); <see cref="Rows"/> yields the ids in list
/// order as a row source aliased <c>d</c>, with <see cref="Id"/>, its text (<see cref="IdText"/>, lowercase as Dataverse
/// writes it) and its position (<see cref="Position"/>).
/// </summary>
internal sealed class IdList(string @in, string rows, string id, string idText, string position, Func<IEnumerable<DbParameter>> parameters)
{
    /// <summary>The right-hand side of a membership test, e.g. <c>= ANY(@ids)</c>.</summary>
    public string In { get; } = @in;

    public string Rows { get; } = rows;

    public string Id { get; } = id;

    public string IdText { get; } = idText;

    public string Position { get; } = position;

    /// <summary>Adds the parameters the list needs to a command (fresh instances each time).</summary>
    public void Bind(DbCommand command) => command.Parameters.AddRange(parameters().ToArray());
}
