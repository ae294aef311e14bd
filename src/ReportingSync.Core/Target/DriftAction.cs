namespace ReportingSync.Target;

/// <summary>The action a drift plan takes for one column.</summary>
public enum DriftAction
{
    /// <summary>Add the column (DDL), then backfill existing rows.</summary>
    AddColumn,

    /// <summary>Widen in place (longer string, more decimals, int → bigint).</summary>
    Widen,

    /// <summary>Drop the column (RemovedColumns: Drop).</summary>
    DropColumn,

    /// <summary>Keep a column the source no longer has; it receives NULL from now on.</summary>
    KeepRemoved,

    /// <summary>A new attribute left out (NewColumns: Ignore).</summary>
    IgnoreNew,

    /// <summary>Rebuild the table through a shadow re-seed (incompatible type change).</summary>
    Rebuild,

    /// <summary>Stop the entity (a Fail policy, or a change nothing else can absorb).</summary>
    Fail,
}
