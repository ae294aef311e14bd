namespace ReportingSync.DataverseSimulator.Model;

/// <summary>An option as the reference option-set file records it.</summary>
internal sealed record ReferenceOption(int Value, string Label, int Order);
