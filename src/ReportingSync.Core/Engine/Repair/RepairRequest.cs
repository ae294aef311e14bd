using System.Globalization;
using ReportingSync.Target;

namespace ReportingSync.Engine.Repair;

/// <summary>
/// The text of a <c>Repair</c> command: the rows reconciliation wants the worker holding the entity to repair, as
/// <c>Kind:id</c> pairs (<c>Missing:0b6f…,Stale:…</c>), and the answer the worker writes back (<c>repaired 12 rows</c>).
/// </summary>
internal static class RepairRequest
{
    private const string Answer = "repaired ";

    public static string Format(IEnumerable<RepairTarget> rows) => string.Join(",", rows.Select(r => $"{r.Kind}:{r.Id:D}"));

    /// <exception cref="FormatException">The text is not a list of <c>Kind:id</c> pairs.</exception>
    public static IReadOnlyList<RepairTarget> Parse(string? text) =>
        (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(pair =>
        {
            var parts = pair.Split(':');
            return parts.Length == 2 && Enum.TryParse<FindingKind>(parts[0], out var kind) && Guid.TryParse(parts[1], out var id)
                ? new RepairTarget(id, kind)
                : throw new FormatException($"'{pair}' is not a row to repair (Kind:id).");
        }).ToList();

    public static string Done(long rows) => Answer + rows.ToString(CultureInfo.InvariantCulture) + " rows";

    /// <summary>The rows a completed command says it repaired, or 0.</summary>
    public static long Repaired(string? detail) =>
        detail is not null && detail.StartsWith(Answer, StringComparison.Ordinal)
        && long.TryParse(detail.AsSpan(Answer.Length).TrimEnd(" rows"), NumberStyles.None, CultureInfo.InvariantCulture, out var rows)
            ? rows
            : 0;
}
