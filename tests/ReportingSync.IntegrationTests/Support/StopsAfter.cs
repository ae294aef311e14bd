using System.Reflection;
using System.Runtime.ExceptionServices;
using ReportingSync.Target;

namespace ReportingSync.IntegrationTests.Support;

/// <summary>
/// The real target, except that the first call of one method completes against the database and then fails, as if the
/// process had stopped right after it (a kill, a lost pod): the step is done, nothing after it in the same flow is.
/// </summary>
internal class StopsAfter : DispatchProxy
{
    private IReportingTarget _inner = null!;
    private string _method = "";
    private int _stopped;

    /// <summary>True once the stop has happened.</summary>
    public bool Stopped => Volatile.Read(ref _stopped) == 1;

    public static IReportingTarget Wrap(IReportingTarget inner, string method, out StopsAfter stop)
    {
        var proxy = Create<IReportingTarget, StopsAfter>();
        stop = (StopsAfter)(object)proxy;
        stop._inner = inner;
        stop._method = method;
        return proxy;
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        object? result;
        try
        {
            result = targetMethod!.Invoke(_inner, args);
        }
        catch (TargetInvocationException wrapped) when (wrapped.InnerException is not null)
        {
            ExceptionDispatchInfo.Capture(wrapped.InnerException).Throw();
            throw;
        }

        return targetMethod.Name == _method && targetMethod.ReturnType == typeof(Task) && result is Task done && Interlocked.Exchange(ref _stopped, 1) == 0
            ? StopAsync(done)
            : result;
    }

    private async Task StopAsync(Task step)
    {
        await step;
        throw new InvalidOperationException($"The process stopped right after {_method} (test).");
    }
}
