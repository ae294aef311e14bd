namespace ReportingSync.DataverseSimulator.Model;

/// <summary><c>AttributeTypeName</c> values that are not simply <c>&lt;AttributeType&gt;Type</c>.</summary>
internal static class AttributeTypeNames
{
    public const string MultiSelectPicklist = "MultiSelectPicklistType";

    public const string Image = "ImageType";

    public const string Virtual = "VirtualType";

    public static string For(AttributeType type) => type + "Type";
}
