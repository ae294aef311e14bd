using ReportingSync.Source;

namespace ReportingSync.Model;

/// <summary>One key range of a parallel seed: its bounds, the next link to follow (null before the first page), done.</summary>
public sealed record SeedRange(Guid? From, Guid? To, string? Next, bool Done)
{
    public IdRange Range => new(From, To);
}
