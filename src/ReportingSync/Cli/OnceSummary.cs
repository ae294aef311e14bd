using ReportingSync.Engine;

namespace ReportingSync.Cli;

/// <summary>The table printed at the end of <c>run --once</c>.</summary>
internal static class OnceSummary
{
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<EntityOutcome> outcomes)
    {
        var width = Math.Max(6, outcomes.Max(o => o.Entity.Length));
        await output.WriteLineAsync($"{"entity".PadRight(width)}  result  pages  upserts  deletes").ConfigureAwait(false);
        foreach (var o in outcomes.OrderBy(o => o.Entity, StringComparer.Ordinal))
        {
            var result = o.Succeeded ? (o.Result.Seeded ? "seeded" : "synced") : "FAILED";
            await output.WriteLineAsync(
                $"{o.Entity.PadRight(width)}  {result,-6}  {o.Result.Pages,5}  {o.Result.Upserts,7}  {o.Result.Deletes,7}").ConfigureAwait(false);
            if (o.Error is not null)
            {
                await output.WriteLineAsync($"{"".PadRight(width)}  {o.Error.Message}").ConfigureAwait(false);
            }

            foreach (var blocker in o.ReseedBlocked?.Objects ?? [])
            {
                // Not a failure: the live table streamed; the swap is tried again by the next run.
                await output.WriteLineAsync($"{"".PadRight(width)}  re-seed waits for {blocker}").ConfigureAwait(false);
            }
        }

        var failed = outcomes.Count(o => !o.Succeeded);
        await output.WriteLineAsync(failed == 0
            ? $"{outcomes.Count} entities synced."
            : $"{failed} of {outcomes.Count} entities failed.").ConfigureAwait(false);
    }
}
