namespace ReportingSync.DataverseSimulator.Requests;

/// <summary>Web API requests that arrived in [<paramref name="From"/>, <paramref name="To"/>), in all and by kind.</summary>
internal sealed record RequestWindow(DateTimeOffset From, DateTimeOffset To, int Total, IReadOnlyDictionary<RequestKind, int> ByKind);
