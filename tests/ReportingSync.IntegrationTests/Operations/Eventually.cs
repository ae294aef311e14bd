namespace ReportingSync.IntegrationTests.Operations;

/// <summary>Polls a condition until it holds or the time is up (then fails with what was awaited).</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, TimeSpan timeout, string because) =>
        await TrueAsync(() => Task.FromResult(condition()), timeout, because);

    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception) when (DateTime.UtcNow < deadline)
            {
                // Not there yet (a table not created, a gauge not reported): ask again.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds:0} s: {because}.");
            }

            await Task.Delay(100);
        }
    }
}
