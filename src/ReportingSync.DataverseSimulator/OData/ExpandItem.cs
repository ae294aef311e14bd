namespace ReportingSync.DataverseSimulator.OData;

/// <summary>One <c>$expand</c> entry, with its nested <c>$select</c> when given: <c>OptionSet($select=Options)</c>.</summary>
internal sealed record ExpandItem(string Name, IReadOnlyList<string>? Select);
