using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace ReportingSync.Configuration;

/// <summary>
/// Finds every setting whose text cannot become its option's type (a TimeSpan written as "soon", an unknown enum
/// name) before binding. The configuration binder stops at the first such value with an exception; this check names
/// them all at once, so a user fixes a file in one go. Lists of option objects (<c>Entities:N</c>) are checked entry by
/// entry. Only values of non-string types are quoted back, so a secret (always a string) never appears in a problem.
/// </summary>
internal static class ConfigurationTypeCheck
{
    /// <summary>Every unconvertible value under the sections: its full key, and the message that names key and value.</summary>
    public static IReadOnlyList<(string Key, string Problem)> Find(IConfiguration configuration, params (string Section, Type Options)[] bindings)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<(string Key, string Problem)>();
        foreach (var (section, type) in bindings)
        {
            Walk(configuration.GetSection(section), type, problems);
        }

        return problems;
    }

    private static void Walk(IConfigurationSection section, Type type, List<(string Key, string Problem)> problems)
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
                    problems.Add((child.Path, $"{child.Path} = '{text}' is not a valid {Describe(propertyType)}."));
                }
            }
            else if (ElementType(propertyType) is { } element)
            {
                // An entry written as a plain value (Entities:0 = "contact") is not an object to check.
                foreach (var entry in child.GetChildren().Where(e => e.Value is null))
                {
                    Walk(entry, element, problems);
                }
            }
            else if (!IsScalar(propertyType) && propertyType.IsClass && propertyType != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(propertyType))
            {
                Walk(child, propertyType, problems);
            }
        }
    }

    /// <summary>The option class a <c>List&lt;T&gt;</c> property holds, or null for lists of plain values and everything else.</summary>
    private static Type? ElementType(Type type) =>
        type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) && type.GetGenericArguments()[0] is { IsClass: true } element && element != typeof(string)
            ? element
            : null;

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
