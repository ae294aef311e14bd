using ReportingSync.Target;
using ReportingSync.Model;
using ReportingSync.Source;

namespace ReportingSync.Engine.Reconciliation;

public sealed partial class Reconciler
{
    /// <summary>The id space is cut into this many slices; a sample of p% reads every (100/p)-th slice whole.</summary>
    private const int SampleSlices = 1_000;

    /// <summary>
    /// Deep mode: reads full source rows of the sampled key ranges and compares each with the target's row of the same
    /// id and version. Sampling whole key ranges (not random ids) keeps source cost proportional to the sample: a 1%
    /// sample is ten ranges of 0.1% spread over the id space, read with ordinary paged queries.
    /// Rows whose versions differ are left to the fast comparison; only same-version rows can show a column difference.
    /// </summary>
    private async Task<(long Compared, List<ReconciliationFinding> Suspects)> CompareColumnsAsync(
        TableLayout layout, double samplePercent, IProgress<ReconcileProgress>? progress, long started, CancellationToken cancellationToken)
    {
        var ranges = SampleRanges(samplePercent, _options.Parallelism);
        var suspects = new List<ReconciliationFinding>();
        long compared = 0;
        using var gate = new SemaphoreSlim(_options.Parallelism);
        var tasks = ranges.Select(async range =>
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                string? continuation = null;
                do
                {
                    var page = await _source.ReadRangePageAsync(layout, range, continuation, cancellationToken).ConfigureAwait(false);
                    AsStored(page.Rows);
                    var ids = Enumerable.Range(0, page.Rows.Count).Select(page.Rows.GetId).ToList();
                    var target = ById(await _target.ReadRowsByIdAsync(layout, ids, cancellationToken).ConfigureAwait(false));
                    var found = new List<ReconciliationFinding>();
                    foreach (var row in page.Rows.Rows)
                    {
                        var id = (Guid)row[layout.IdOrdinal]!;
                        if (target.TryGetValue(id, out var stored)
                            && Classify(layout, id, row, stored, deep: true) is { Kind: FindingKind.ColumnDiff } finding)
                        {
                            found.Add(finding);
                        }
                    }

                    lock (suspects)
                    {
                        suspects.AddRange(found);
                        compared += page.Rows.Count;
                    }

                    progress?.Report(new ReconcileProgress(layout.EntityName, "comparing columns", Interlocked.Read(ref compared), _time.GetElapsedTime(started)));
                    continuation = page.NextLink;
                }
                while (continuation is not null);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return (compared, suspects.OrderBy(s => s.RecordId).ToList());
    }

    internal static IReadOnlyList<IdRange> SampleRanges(double samplePercent, int parallelism)
    {
        if (samplePercent >= 100)
        {
            return IdRange.SplitEvenly(parallelism);
        }

        var slices = IdRange.SplitEvenly(SampleSlices);
        var take = Math.Max(1, (int)Math.Ceiling(SampleSlices * samplePercent / 100));
        var step = (double)SampleSlices / take;
        return Enumerable.Range(0, take).Select(i => slices[(int)(i * step)]).ToList();
    }
}
