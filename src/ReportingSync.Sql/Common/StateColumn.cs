using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>A column of a table the replicator owns (state, history, delete log), described once for every dialect.</summary>
/// <param name="Identity">An ever-increasing surrogate key (identity / autoincrement), never written by us.</param>
internal sealed record StateColumn(string Name, ColumnStorageType Type, bool Nullable, int? MaxLength = null, bool Identity = false);
