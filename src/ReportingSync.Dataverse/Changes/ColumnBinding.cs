using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>A layout column fed by a JSON property: where the value goes and how to convert it.</summary>
internal readonly record struct ColumnBinding(int Ordinal, TableColumn Column);
