namespace ReportingSync.DataverseSimulator.Model;

/// <summary>A column of the DES reporting schema: its name and SQL Server type.</summary>
internal sealed record ReferenceColumn(string Name, SqlColumnType SqlType);
