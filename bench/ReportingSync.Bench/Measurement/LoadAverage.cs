using System.Globalization;

namespace ReportingSync.Bench.Measurement;

/// <summary>The machine's 1-minute load average (<c>/proc/loadavg</c>), recorded next to every figure: the bench shares its cores.</summary>
internal static class LoadAverage
{
    public static double OneMinute()
    {
        try
        {
            var first = File.ReadAllText("/proc/loadavg").Split(' ')[0];
            return double.Parse(first, CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }
}
