namespace ReportingSync.Target;

/// <summary>
/// What reconciliation finds wrong in a history table (<c>&lt;table&gt;_history</c>): ids without exactly one open
/// version, versions whose end is not the next version's start (a gap or an overlap), and live rows whose open version
/// is another one (or a delete). All zero for a consistent history.
/// </summary>
public sealed record HistoryCheck(long IdsWithoutOneOpenVersion, long BrokenLinks, long LiveRowsNotCurrent)
{
    public bool Consistent => IdsWithoutOneOpenVersion == 0 && BrokenLinks == 0 && LiveRowsNotCurrent == 0;

    public override string ToString() =>
        $"{IdsWithoutOneOpenVersion} ids without exactly one open version, {BrokenLinks} versions not ending where the next begins, {LiveRowsNotCurrent} live rows not the current version";
}
