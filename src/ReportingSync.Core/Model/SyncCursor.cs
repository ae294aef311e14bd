namespace ReportingSync.Model;

/// <summary>
/// Where an entity's read stands. <see cref="Url"/> is opaque and already encoded: it is stored and sent byte for
/// byte, never decoded or rebuilt.
/// </summary>
public sealed record SyncCursor(CursorKind Kind, string Url)
{
    public static SyncCursor Next(string url) => new(CursorKind.NextLink, url);

    public static SyncCursor Delta(string url) => new(CursorKind.DeltaLink, url);

    public bool IsDelta => Kind == CursorKind.DeltaLink;

    /// <summary>Cursor URLs carry tokens, not secrets, but they are long; keep log lines short.</summary>
    public override string ToString() => $"{Kind}({(Url.Length > 80 ? Url[..80] + "…" : Url)})";
}
