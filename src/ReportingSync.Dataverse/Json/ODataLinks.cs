namespace ReportingSync.Dataverse;

/// <summary>The paging links of a collection answer; opaque, already-encoded URLs.</summary>
internal readonly record struct ODataLinks(string? NextLink, string? DeltaLink);
