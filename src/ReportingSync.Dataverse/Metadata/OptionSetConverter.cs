using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>Option sets and labels from metadata into <see cref="OptionSetSchema"/>.</summary>
internal static class OptionSetConverter
{
    public const int English = 1033;

    /// <summary>A choice using a global option set reports it in GlobalOptionSet; otherwise OptionSet is its own.</summary>
    public static OptionSetSchema? From(OptionSetDto? local, OptionSetDto? global)
    {
        var source = global ?? local;
        if (source is null)
        {
            return null;
        }

        return new OptionSetSchema
        {
            Name = Identifier.Validate(source.Name, "option set"),
            IsGlobal = global is not null || source.IsGlobal == true,
            Options = (source.Options ?? []).Select(Option).ToList(),
        };
    }

    private static OptionSchema Option(OptionDto option)
    {
        var (label, language) = Label(option.Label);
        return new OptionSchema(option.Value, label, language, option.State);
    }

    /// <summary>The 1033 (English) label when there is one, else the label in the calling user's language.</summary>
    public static (string Label, int LanguageCode) Label(LabelDto? label)
    {
        var english = label?.LocalizedLabels?.FirstOrDefault(l => l.LanguageCode == English && l.Label is not null);
        var chosen = english ?? label?.UserLocalizedLabel ?? label?.LocalizedLabels?.FirstOrDefault();
        return chosen?.Label is { } text ? (text, chosen.LanguageCode) : (string.Empty, English);
    }
}
