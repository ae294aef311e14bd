namespace ReportingSync.DataverseSimulator.Admin;

/// <summary>Body of the option endpoints: value and label (and state for status options).</summary>
internal sealed record OptionRequest(int Value, string Label, int? State);
