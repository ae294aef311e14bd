using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace ReportingSync.Configuration;

/// <summary>
/// Finds every setting whose text cannot become its option's type (a TimeSpan written as "soon", an unknown enum
/// name) before binding. The configuration binder stops at the first such value with an exception; this check names
/// them all at once, so a user fixes a file in one go.
/// </summary>
internal static class ConfigurationTypeCheck
{
    public static IReadOnlyList<string> Find(IConfiguration configuration, params (string Section, Type Options)[] bindings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        foreach (var (section, type) in bindings)
        {
            Walk(configuration.GetSection(section), type, problems);
        }

        return problems;
    }

    private static void Walk(IConfigurationSection section, Type type, List<string> problems)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null)
            {
                continue;
            }

            var propertyType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (child.Value is { } text && IsScalar(propertyType))
            {
                if (!Converts(propertyType, text))
                {
                    problems.Add($"{child.Path} = '{text}' is not a valid {Describe(propertyType)}.");
                }
            }
            else if (!IsScalar(propertyType) && propertyType.IsClass && propertyType != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(propertyType))
            {
                Walk(child, propertyType, problems);
            }
        }
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(TimeSpan) || type == typeof(decimal) || type == typeof(Uri);

    private static bool Converts(Type type, string text)
    {
        if (text.Length == 0)
        {
            return true;
        }

        try
        {
            TypeDescriptor.GetConverter(type).ConvertFromInvariantString(text);
            return true;
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException || ex.InnerException is FormatException)
        {
            return false;
        }
    }

    private static string Describe(Type type) => type switch
    {
        _ when type == typeof(TimeSpan) => "duration (hh:mm:ss, e.g. 00:00:05)",
        _ when type == typeof(bool) => "boolean (true or false)",
        _ when type.IsEnum => $"value (one of: {string.Join(", ", Enum.GetNames(type))})",
        _ when type == typeof(int) || type == typeof(long) => "whole number",
        _ => type.Name.ToLower(CultureInfo.InvariantCulture),
    };
}
