namespace ReportingSync.DataverseSimulator.Model;

/// <summary>A SQL Server column type as the Data Export Service wrote it: <c>nvarchar(100)</c>, <c>decimal(38, 2)</c>, <c>int</c>.</summary>
internal readonly record struct SqlColumnType(string Name, int? Length, int? Scale, bool IsMax)
{
    public static SqlColumnType Parse(string text)
    {
        var trimmed = text.Trim();
        var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
        var open = trimmed.IndexOf('(', StringComparison.Ordinal);
        if (open < 0)
        {
            return new SqlColumnType(space < 0 ? trimmed : trimmed[..space], null, null, false);
        }

        var name = trimmed[..open];
        var close = trimmed.IndexOf(')', open);
        var args = trimmed[(open + 1)..close].Split(',', StringSplitOptions.TrimEntries);
        if (args[0].Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            return new SqlColumnType(name, null, null, true);
        }

        var length = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
        int? scale = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : null;
        return new SqlColumnType(name, length, scale, false);
    }
}
