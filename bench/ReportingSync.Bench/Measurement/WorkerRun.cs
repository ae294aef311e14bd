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

    /// <summary>
    /// Starts <c>reportingsync</c> with the arguments (e.g. <c>run --once --config FILE</c>). With
    /// REPORTINGSYNC_BENCH_TRACE set to a folder, each worker writes a CPU-sampling EventPipe trace there
    /// (<c>dotnet-trace report FILE topN</c> reads it), so any scenario can be profiled as it runs.
    /// </summary>
    public static WorkerRun Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments) =>
        new(WorkerProcess.Start(WithTrace(environment), arguments));

    private static Dictionary<string, string>? WithTrace(IReadOnlyDictionary<string, string>? environment)
    {
        if (Environment.GetEnvironmentVariable("REPORTINGSYNC_BENCH_TRACE") is not { Length: > 0 } folder)
        {
            return environment?.ToDictionary();
        }

        Directory.CreateDirectory(folder);
        var traced = environment?.ToDictionary() ?? [];
        traced["DOTNET_EnableEventPipe"] = "1";
        traced["DOTNET_EventPipeOutputPath"] = Path.Combine(folder, "worker-{pid}.nettrace");
        traced["DOTNET_EventPipeConfig"] = "Microsoft-DotNETCore-SampleProfiler:0:5,Microsoft-Windows-DotNETRuntime:0x4c14fccbd:5";
        return traced;
    }

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
