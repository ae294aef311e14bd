namespace ReportingSync.DataverseSimulator.Model;

/// <summary>An option to create: value, label, and for status options the state it belongs to.</summary>
internal sealed record OptionSpec(int Value, string Label, int? State = null);
