namespace ReportingSync.Target;

/// <summary>How a row of the replica differs from the source.</summary>
public enum FindingKind
{
    /// <summary>In the source, not in the target (a missed create, or a row deleted behind the worker's back).</summary>
    Missing,

    /// <summary>In the target, not in the source (a missed delete, or a row inserted behind the worker's back).</summary>
    Extra,

    /// <summary>In both, with a different <c>versionnumber</c> (a missed update, or a version rolled back).</summary>
    Stale,

    /// <summary>Same <c>versionnumber</c>, different value in one column (deep mode: a mapping bug or a hand edit).</summary>
    ColumnDiff,
}
