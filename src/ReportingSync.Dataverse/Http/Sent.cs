namespace ReportingSync.Dataverse;

/// <summary>A parsed answer and how many HTTP attempts it cost (retries and throttled attempts included).</summary>
internal readonly record struct Sent<T>(T Value, int Attempts);
