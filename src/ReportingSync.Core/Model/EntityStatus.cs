namespace ReportingSync.Model;

/// <summary>An entity's place in its lifecycle: New → Seeding → Streaming (→ Reseeding → Streaming); any → Failed.</summary>
public enum EntityStatus
{
    New,
    Seeding,
    Streaming,
    Reseeding,
    Failed,
}
