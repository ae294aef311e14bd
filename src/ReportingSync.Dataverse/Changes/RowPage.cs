using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>One decoded answer: rows, deleted ids (deltas only), links, body size and the attempts it cost.</summary>
internal sealed record RowPage(RowBatch Rows, IReadOnlyList<Guid> Deletes, ODataLinks Links, int Bytes, int Attempts);
