namespace ReportingSync.DataverseSimulator.Model;

/// <summary>One choice. <paramref name="State"/> is set only for status options (the state it belongs to).</summary>
internal sealed record OptionDefinition(int Value, string Label, int? State, Guid LabelMetadataId);
