namespace ReportingSync.Sql;

/// <summary>
/// One guarded upsert, described once and spelled by the dialect (<c>INSERT ... ON CONFLICT</c> on PostgreSQL and SQLite,
/// <c>MERGE</c> on SQL Server): rows from <see cref="From"/> (or the single row of <see cref="Values"/>) go into
/// <see cref="Table"/>; a row whose <see cref="Key"/> exists is updated when <see cref="When"/> holds, any other is inserted.
/// Every name is quoted by the caller; values are parameters or column references, never literals from data.
/// </summary>
internal sealed record UpsertSpec
{
    /// <summary>Quoted, qualified target table (aliased <c>t</c>).</summary>
    public required string Table { get; init; }

    /// <summary>Quoted target columns, in insert order.</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>One expression per column: parameters for a single row, or <c>s.</c> column references with <see cref="From"/>.</summary>
    public required IReadOnlyList<string> Values { get; init; }

    /// <summary>A row source aliased <c>s</c> (<c>"stage" AS s</c>), or null for the single row of <see cref="Values"/>.</summary>
    public string? From { get; init; }

    /// <summary>Quoted key columns (among <see cref="Columns"/>).</summary>
    public required IReadOnlyList<string> Key { get; init; }

    /// <summary>Columns a matched row takes from the incoming row. Empty, with no <see cref="Set"/>: a matched row is left alone.</summary>
    public IReadOnlyList<string> Update { get; init; } = [];

    /// <summary>Columns a matched row sets to an expression instead (a parameter, a literal).</summary>
    public IReadOnlyList<(string Column, string Value)> Set { get; init; } = [];

    /// <summary>The update arm's guard, given the target alias and the incoming row's alias.</summary>
    public Func<string, string, string>? When { get; init; }

    /// <summary>A condition the whole statement runs under (single-row form only).</summary>
    public string? OnlyIf { get; init; }
}
