using System.Globalization;
using System.Text;
using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Generation;

internal sealed partial class ValueGenerator
{
    private const double AwkwardShare = 0.03;

    /// <summary>Cuts a string to a column's MaxLength without splitting a surrogate pair.</summary>
    public static string Fit(string value, int? maxLength)
    {
        if (maxLength is not { } max || value.Length <= max)
        {
            return value;
        }

        var cut = max;
        if (cut > 0 && char.IsHighSurrogate(value[cut - 1]))
        {
            cut--;
        }

        return value[..cut];
    }

    /// <summary>A human label for a table: <c>dfeta_qtsregistration</c> → <c>Qtsregistration</c>.</summary>
    public static string Label(string logicalName)
    {
        var bare = logicalName.StartsWith("dfeta_", StringComparison.Ordinal) ? logicalName["dfeta_".Length..] : logicalName;
        return bare.Length == 0 ? logicalName : char.ToUpperInvariant(bare[0]) + bare[1..];
    }

    private string Text(EntityDefinition entity, ColumnGenerator column, int index, int variant, ref CellRandom random)
    {
        switch (column.Kind)
        {
            case ValueKind.FirstName:
                return random.Pick(WordLists.FirstNames);
            case ValueKind.MiddleName:
                return random.Pick(WordLists.FirstNames);
            case ValueKind.LastName:
                return random.Pick(WordLists.LastNames);
            case ValueKind.FullName:
                return FullName(column.EntitySalt, index, variant);
            case ValueKind.OrganisationName:
                return random.Chance(0.5)
                    ? random.Pick(WordLists.Organisations)
                    : $"{random.Pick(WordLists.Organisations)} ({random.Pick(WordLists.Cities)})";
            case ValueKind.RecordName:
                return $"{Label(entity.LogicalName)} {random.Next(1_000_000).ToString(CultureInfo.InvariantCulture)}";
            case ValueKind.Email:
                return Email(ref random);
            case ValueKind.Phone:
                return random.Chance(0.6)
                    ? $"07700 900{random.Next(1000):000}"
                    : $"+44 20 7946 0{random.Next(1000):000}";
            case ValueKind.Street:
                return $"{random.Between(1, 250)} {random.Pick(WordLists.Streets)}";
            case ValueKind.City:
                return random.Pick(WordLists.Cities);
            case ValueKind.County:
                return random.Pick(WordLists.Counties);
            case ValueKind.Country:
                return random.Pick(WordLists.Countries);
            case ValueKind.PostCode:
                return PostCode(ref random);
            case ValueKind.Url:
                return $"https://www.{random.Pick(WordLists.Words)}{random.Next(1000)}.example.org/";
            case ValueKind.Trn:
                return random.Between(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture);
            case ValueKind.NiNumber:
                return $"{(char)('A' + random.Next(20))}{(char)('A' + random.Next(20))}{random.Next(1_000_000):000000}{(char)('A' + random.Next(4))}";
            case ValueKind.Code:
                return Code(ref random);
            case ValueKind.Memo:
                return Memo(ref random);
            default:
                return Words(ref random);
        }
    }

    private string FullName(ulong entity, int index, int variant)
    {
        var first = Stream(entity, FirstNameSalt, index, variant);
        first.NextUInt64();
        var last = Stream(entity, LastNameSalt, index, variant);
        last.NextUInt64();
        return first.Pick(WordLists.FirstNames) + " " + last.Pick(WordLists.LastNames);
    }

    private static string Email(ref CellRandom random)
    {
        var first = random.Pick(WordLists.FirstNames).ToLowerInvariant();
        var last = random.Pick(WordLists.LastNames).ToLowerInvariant().Replace(' ', '.');
        var domain = random.Pick<string>(["example.com", "example.org", "school.example.sch.uk", "mail.example.ac.uk"]);
        return $"{first}.{last}{random.Next(100)}@{domain}";
    }

    private static string PostCode(ref CellRandom random)
    {
        var area = random.Pick<string>(["SW", "NW", "E", "N", "M", "B", "LS", "S", "BS", "CF", "EH", "G", "NE"]);
        return $"{area}{random.Between(1, 20)} {random.Next(10)}{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}";
    }

    private static string Code(ref CellRandom random)
    {
        return $"{(char)('A' + random.Next(26))}{(char)('A' + random.Next(26))}{random.Next(100_000):00000}";
    }

    private static string Words(ref CellRandom random)
    {
        if (random.Chance(AwkwardShare))
        {
            return random.Pick(WordLists.Awkward);
        }

        Span<char> buffer = stackalloc char[128];
        var length = 0;
        var count = random.Between(2, 5);
        for (var i = 0; i < count; i++)
        {
            var word = random.Pick(WordLists.Words);
            if (i > 0)
            {
                buffer[length++] = ' ';
            }

            word.CopyTo(buffer[length..]);
            if (i == 0)
            {
                buffer[length] = char.ToUpperInvariant(word[0]);
            }

            length += word.Length;
        }

        return new string(buffer[..length]);
    }

    private static string Memo(ref CellRandom random)
    {
        var sentences = random.Between(1, 3);
        var builder = new StringBuilder();
        for (var i = 0; i < sentences; i++)
        {
            if (i > 0)
            {
                builder.Append(random.Chance(0.3) ? "\n" : " ");
            }

            builder.Append(Words(ref random)).Append('.');
        }

        if (random.Chance(AwkwardShare * 2))
        {
            builder.Append(' ').Append(random.Pick(WordLists.Awkward));
        }

        return builder.ToString();
    }
}
