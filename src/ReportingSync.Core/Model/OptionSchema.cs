namespace ReportingSync.Model;

/// <summary>One choice value and its label. <see cref="State"/> is set only for status options (the state they belong to).</summary>
public sealed record OptionSchema(int Value, string Label, int LanguageCode = 1033, int? State = null);
