namespace ReportingSync.Engine;

/// <summary>What one cycle of an entity did: a seed (to its delta link) or a delta read (to the next delta link).</summary>
public readonly record struct CycleResult(bool Seeded, int Pages, long Upserts, long Deletes)
{
    public bool HadChanges => Upserts > 0 || Deletes > 0;

    public static CycleResult operator +(CycleResult a, CycleResult b) =>
        new(a.Seeded || b.Seeded, a.Pages + b.Pages, a.Upserts + b.Upserts, a.Deletes + b.Deletes);
}
