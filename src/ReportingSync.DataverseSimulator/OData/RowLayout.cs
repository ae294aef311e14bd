using System.Text.Json;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// A projection resolved against the schema of one read: each column's value source and its property names
/// pre-encoded, so writing a 5000-row page does no per-cell lookups or name encoding.
/// </summary>
internal sealed class RowLayout
{
    private RowLayout(LayoutColumn[] columns, AnnotationFilter annotations)
    {
        Columns = columns;
        Formatted = annotations.Includes(AnnotationFilter.FormattedValue);
        LookupLogicalName = annotations.Includes(AnnotationFilter.LookupLogicalName);
        NavigationProperty = annotations.Includes(AnnotationFilter.NavigationProperty);
    }

    public LayoutColumn[] Columns { get; }

    public bool Formatted { get; }

    public bool LookupLogicalName { get; }

    public bool NavigationProperty { get; }

    public static RowLayout For(Projection projection, TableSchema schema, AnnotationFilter annotations) => new(
        [.. projection.Attributes.Select(a => new LayoutColumn(ColumnSource.For(schema, a)))],
        annotations);

    /// <summary>One column with its encoded property and annotation names.</summary>
    internal sealed class LayoutColumn
    {
        public LayoutColumn(ColumnSource source)
        {
            Source = source;
            var name = source.Attribute.ODataName;
            Name = JsonEncodedText.Encode(name);
            FormattedName = JsonEncodedText.Encode(name + "@" + AnnotationFilter.FormattedValue);
            NavigationName = JsonEncodedText.Encode(name + "@" + AnnotationFilter.NavigationProperty);
            LookupName = JsonEncodedText.Encode(name + "@" + AnnotationFilter.LookupLogicalName);
            HasFormattedValue = !source.Attribute.IsPrimaryId && !source.IsVersion;
        }

        public ColumnSource Source { get; }

        public JsonEncodedText Name { get; }

        public JsonEncodedText FormattedName { get; }

        public JsonEncodedText NavigationName { get; }

        public JsonEncodedText LookupName { get; }

        public bool HasFormattedValue { get; }
    }
}
