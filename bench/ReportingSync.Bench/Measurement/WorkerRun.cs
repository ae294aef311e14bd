using System.Diagnostics;
using ReportingSync.IntegrationTests.Harness;

namespace ReportingSync.Bench.Measurement;

/// <summary>The worker executable run as a child process, sampled for peak RSS and CPU while it runs.</summary>
internal sealed class WorkerRun : IAsyncDisposable
{
    private readonly WorkerProcess _process;
    private readonly ProcessSampler _sampler;
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    private WorkerRun(WorkerProcess process)
    {
        _process = process;
        _sampler = new ProcessSampler(process.Id);
    }

    public int Pid => _process.Id;

    public string Output => _process.Output;

    public bool HasExited => _process.HasExited;

    public double PeakRssMb => _sampler.PeakRssMb;

    public double CpuSeconds
    {
        get
        {
            _sampler.Sample();
            return _sampler.CpuSeconds;
        }
    }

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Starts <c>reportingsync</c> with the arguments (e.g. <c>run --once --config FILE</c>).</summary>
    public static WorkerRun Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        new(WorkerProcess.Start(environment, arguments));

    /// <summary>Waits for exit; returns the exit code.</summary>
    public async Task<int> WaitAsync(TimeSpan timeout)
    {
        var code = await _process.WaitForExitAsync(timeout);
        _clock.Stop();
        return code;
    }

    /// <summary>Samples a last time, then kills the process (SIGKILL).</summary>
    public void Stop()
    {
        _sampler.Sample();
        _process.Kill();
        _clock.Stop();
    }

    public async ValueTask DisposeAsync()
    {
        await _sampler.DisposeAsync();
        await _process.DisposeAsync();
    }
}
