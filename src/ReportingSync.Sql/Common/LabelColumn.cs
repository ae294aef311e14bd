namespace ReportingSync.Sql;

/// <summary>
/// One label column of an <c>&lt;entity&gt;_labelled</c> view: the choice column <paramref name="Column"/>, the metadata
/// table its label comes from, and for a global option set the set's name.
/// </summary>
internal sealed record LabelColumn(string Column, LabelSource Source, string? GlobalOptionSetName = null)
{
    public string Alias => Column + LabelViews.LabelSuffix;
}
