namespace ReportingSync.Engine;

/// <summary>Which table a read fills and which cursor it moves.</summary>
internal enum ReadLane
{
    /// <summary>The first seed of the live table (change-tracking initial read; bulk load).</summary>
    Seed,

    /// <summary>Delta reads into the live table.</summary>
    Stream,

    /// <summary>A re-seed's initial read into the shadow table; moves the shadow cursor only.</summary>
    Shadow,
}
