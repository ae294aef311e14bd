namespace ReportingSync.DataverseSimulator.Faults;

/// <summary>A fault that was injected: when (simulator clock), which kind, into which request.</summary>
internal sealed record InjectedFault(DateTimeOffset At, FaultKind Kind, string Method, string RawTarget);
