using System.Text.Json;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Metadata;

/// <summary>Writes an expanded OptionSet / GlobalOptionSet in the shape the metadata API returns.</summary>
internal static class OptionSetJson
{
    public static void Write(Utf8JsonWriter writer, string property, OptionSetDefinition? set, IReadOnlyList<string>? select)
    {
        writer.WritePropertyName(property);
        if (set is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        WriteProperties(writer, set, select);
        writer.WriteEndObject();
    }

    /// <summary>Writes the option set's properties into the object being written.</summary>
    public static void WriteProperties(Utf8JsonWriter writer, OptionSetDefinition set, IReadOnlyList<string>? select)
    {
        bool Wants(string name) => select is null || select.Contains(name, StringComparer.Ordinal);
        writer.WriteString("MetadataId", set.MetadataId);
        if (Wants("HasChanged"))
        {
            writer.WriteNull("HasChanged");
        }

        if (Wants("IsCustomOptionSet"))
        {
            writer.WriteBoolean("IsCustomOptionSet", set.Name.StartsWith("dfeta_", StringComparison.OrdinalIgnoreCase));
        }

        if (Wants("IsGlobal"))
        {
            writer.WriteBoolean("IsGlobal", set.IsGlobal);
        }

        if (Wants("IsManaged"))
        {
            writer.WriteBoolean("IsManaged", true);
        }

        if (Wants("Name"))
        {
            writer.WriteString("Name", set.Name);
        }

        if (Wants("OptionSetType"))
        {
            writer.WriteString("OptionSetType", set.Type.ToString());
        }

        if (set.Type == OptionSetType.Boolean)
        {
            if (Wants("TrueOption"))
            {
                WriteOption(writer, "TrueOption", set.Find(1), set.Type);
            }

            if (Wants("FalseOption"))
            {
                WriteOption(writer, "FalseOption", set.Find(0), set.Type);
            }
        }
        else if (Wants("Options"))
        {
            writer.WriteStartArray("Options");
            foreach (var option in set.Options)
            {
                WriteOption(writer, null, option, set.Type);
            }

            writer.WriteEndArray();
        }
    }

    private static void WriteOption(Utf8JsonWriter writer, string? property, OptionDefinition? option, OptionSetType type)
    {
        if (property is not null)
        {
            writer.WritePropertyName(property);
        }

        if (option is null)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteNumber("Value", option.Value);
        writer.WriteNull("Color");
        writer.WriteBoolean("IsManaged", true);
        writer.WriteNull("ExternalValue");
        writer.WriteStartArray("ParentValues");
        writer.WriteEndArray();
        writer.WriteNull("Tag");
        writer.WriteBoolean("IsHidden", false);
        writer.WriteNull("MetadataId");
        writer.WriteNull("HasChanged");
        if (type == OptionSetType.Status)
        {
            writer.WriteNumber("State", option.State ?? 0);
            writer.WriteNull("TransitionData");
        }

        if (type == OptionSetType.State)
        {
            writer.WriteNumber("DefaultStatus", option.Value + 1);
            writer.WriteString("InvariantName", option.Label);
        }

        writer.WriteStartObject("Label");
        writer.WriteStartArray("LocalizedLabels");
        WriteLabel(writer, option);
        writer.WriteEndArray();
        writer.WritePropertyName("UserLocalizedLabel");
        WriteLabel(writer, option);
        writer.WriteEndObject();
        writer.WriteStartObject("Description");
        writer.WriteStartArray("LocalizedLabels");
        writer.WriteEndArray();
        writer.WriteNull("UserLocalizedLabel");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static void WriteLabel(Utf8JsonWriter writer, OptionDefinition option)
    {
        writer.WriteStartObject();
        writer.WriteString("Label", option.Label);
        writer.WriteNumber("LanguageCode", 1033);
        writer.WriteBoolean("IsManaged", true);
        writer.WriteString("MetadataId", option.LabelMetadataId);
        writer.WriteNull("HasChanged");
        writer.WriteEndObject();
    }
}
