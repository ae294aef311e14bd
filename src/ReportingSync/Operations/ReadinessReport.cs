namespace ReportingSync.Operations;

/// <summary><c>/readyz</c>'s answer: ready only when every check passed. Details name the failing part, never a secret.</summary>
internal sealed record ReadinessReport(bool Ready, DateTime CheckedUtc, IReadOnlyDictionary<string, string> Checks);
