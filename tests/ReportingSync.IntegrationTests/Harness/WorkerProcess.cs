using System.Diagnostics;
using System.Text;

namespace ReportingSync.IntegrationTests.Harness;

/// <summary>
/// Runs the real <c>reportingsync</c> executable as a child process, so tests can kill it the way production dies
/// (SIGKILL, no graceful shutdown) and restart it.
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly object _gate = new();

    private WorkerProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_gate)
            {
                return _output.ToString();
            }
        }
    }

    public static WorkerProcess Start(params string[] arguments) => Start(null, arguments);

    public static WorkerProcess Start(IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        // The bench runs the worker as published (ReadyToRun), named by REPORTINGSYNC_WORKER_DLL; tests run the build.
        var dll = Environment.GetEnvironmentVariable("REPORTINGSYNC_WORKER_DLL") is { Length: > 0 } published
            ? published
            : Path.Combine(AppContext.BaseDirectory, "reportingsync.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("The reportingsync executable was not found (REPORTINGSYNC_WORKER_DLL, or next to the tests).", dll);
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var worker = new WorkerProcess(process);
        process.OutputDataReceived += (_, e) => worker.Append(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Runs to completion and returns the exit code; fails the test if it takes longer than the timeout.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] arguments)
    {
        await using var worker = Start(arguments);
        var exitCode = await worker.WaitForExitAsync(timeout);
        return (exitCode, worker.Output);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"reportingsync did not exit within {timeout}. Output:\n{Output}");
        }

        // WaitForExitAsync returns before the redirected streams are drained; this waits for them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Waits until the output contains <paramref name="text"/> (or fails after the timeout).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"reportingsync did not print '{text}' within {timeout}. Output:\n{Output}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>
    /// Waits until the entity's table holds at least <paramref name="atLeast"/> rows (polling every 10 ms, so a kill can
    /// land in the middle of a seed), failing with this process's output if it exits or the time runs out.
    /// </summary>
    public async Task WaitForRowsAsync(ReportingSync.Target.IReportingTarget target, string entity, long atLeast, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{entity} did not reach {atLeast} rows within {timeout}. Output:\n{Output}");
            }

            try
            {
                if (await target.CountRowsAsync(entity, CancellationToken.None) >= atLeast)
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The table does not exist yet.
            }

            await Task.Delay(10);
        }
    }

    /// <summary>SIGKILL: no shutdown hooks run, exactly like an OOM kill or a node failure.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_gate)
        {
            _output.AppendLine(line);
        }
    }
}
