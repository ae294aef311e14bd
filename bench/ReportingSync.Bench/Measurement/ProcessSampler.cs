using System.Globalization;

namespace ReportingSync.Bench.Measurement;

/// <summary>
/// Samples a child process from <c>/proc</c> while it runs: peak resident set (<c>VmHWM</c>, the kernel's own high-water
/// mark, so a sample taken just before exit already holds the true peak) and CPU time (utime + stime). Samples every
/// 50 ms; the last successful read is kept because <c>/proc/&lt;pid&gt;</c> disappears when the process is reaped.
/// </summary>
internal sealed class ProcessSampler : IAsyncDisposable
{
    private const double ClockTicksPerSecond = 100; // USER_HZ; 100 on every Linux this runs on.

    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _peakKb;
    private long _cpuTicks;

    public ProcessSampler(int pid)
    {
        _pid = pid;
        _loop = Task.Run(LoopAsync);
    }

    public double PeakRssMb => Interlocked.Read(ref _peakKb) / 1024.0;

    public double CpuSeconds => Interlocked.Read(ref _cpuTicks) / ClockTicksPerSecond;

    /// <summary>Takes one sample now (call it right before stopping a process to get its last figures).</summary>
    public void Sample()
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{_pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kb = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                    InterlockedMax(ref _peakKb, kb);
                }
            }

            // Fields after the command name (which may hold spaces, so split after the closing parenthesis).
            var stat = File.ReadAllText($"/proc/{_pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            InterlockedMax(ref _cpuTicks, ticks);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // The process has exited (or is exiting): keep the last figures.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Sample();
            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
