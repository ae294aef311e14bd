using ReportingSync.Model;

namespace ReportingSync.Engine;

/// <summary>One configured entity (an item of <c>ReportingSync:Entities</c>).</summary>
public sealed class EntityOptions
{
    /// <summary>Dataverse logical name, e.g. <c>contact</c>.</summary>
    public string Name { get; set; } = "";

    /// <summary>Attributes to replicate; empty means every readable attribute.</summary>
    public List<string> Include { get; set; } = [];

    /// <summary>Attributes never to replicate (wins over <see cref="Include"/>; drift never re-adds them).</summary>
    public List<string> Exclude { get; set; } = [];

    /// <summary>
    /// Attributes replicated only as a keyed SHA-256 of their value (e.g. <c>dfeta_ninumber</c>, <c>birthdate</c>,
    /// <c>emailaddress1</c>): equal values give equal hashes, so the columns still join and count, but the reporting
    /// database never holds the identifier. The key is <c>ReportingSync:MaskKey</c>.
    /// </summary>
    public List<string> Mask { get; set; } = [];

    /// <summary>
    /// Whether analysts get an <c>&lt;entity&gt;_labelled</c> view of this table, with a label column per choice column
    /// (only when <c>ReportingSync:Target:LabelViews</c> is on). Default true.
    /// </summary>
    public bool LabelView { get; set; } = true;

    /// <summary>
    /// Keep every version of this entity's rows in <c>&lt;table&gt;_history</c> for as-of queries; unset follows
    /// <c>ReportingSync:History</c>.
    /// </summary>
    public bool? History { get; set; }

    /// <summary>Drift policies for this entity only; unset members follow <c>ReportingSync:Drift</c>.</summary>
    public Drift.DriftPolicyOverride? Drift { get; set; }

    public ColumnSelection ToSelection() => new() { Include = Include, Exclude = Exclude, Mask = Mask };
}
