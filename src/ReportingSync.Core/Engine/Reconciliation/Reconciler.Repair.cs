using System.Globalization;
using ReportingSync.Engine.Repair;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Engine.Reconciliation;

public sealed partial class Reconciler
{
    internal const string RepairCommandKind = "Repair";

    /// <summary>Rows one handed-over repair command carries.</summary>
    private const int RowsPerRepairCommand = 1_000;

    /// <summary>
    /// Repairs the confirmed findings, fenced like every write of the entity's state: with leases off, by the state row's
    /// compare-and-set alone; with leases on, under this process's own lease when the entity is free; when a worker holds
    /// it, the repair is handed to that worker as <c>Repair</c> commands, and this waits for them to complete (up to
    /// the settle wait each). Returns how many rows were changed.
    /// </summary>
    private async Task<long> RepairAsync(TableLayout layout, IReadOnlyList<ReconciliationFinding> findings, CancellationToken cancellationToken)
    {
        var rows = findings.Select(f => new RepairTarget(f.RecordId, f.Kind)).ToList();
        var repair = new RowRepair(_source, _target, _masker, _time, _log);
        if (!_sync.Leases)
        {
            return await repair.RepairAsync(layout, rows, fence: null, cancellationToken).ConfigureAwait(false);
        }

        var owner = $"reconcile:{Environment.MachineName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";
        if (await _target.TryAcquireLeaseAsync(layout.EntityName, owner, _sync.LeaseDuration, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                return await repair.RepairAsync(layout, rows, new LeaseFence(owner, _sync.LeaseDuration), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await _target.ReleaseLeaseAsync(layout.EntityName, owner, CancellationToken.None).ConfigureAwait(false);
            }
        }

        long repaired = 0;
        foreach (var chunk in rows.Chunk(RowsPerRepairCommand))
        {
            var id = await _target.EnqueueCommandAsync(
                new SyncCommand { EntityName = layout.EntityName, Kind = RepairCommandKind, RequestedBy = owner, RequestedUtc = UtcNow, Detail = RepairRequest.Format(chunk) },
                cancellationToken).ConfigureAwait(false);
            repaired += await WaitForRepairAsync(id, cancellationToken).ConfigureAwait(false);
        }

        return repaired;
    }

    /// <summary>The rows a handed-over repair changed, once its command completes; 0 when it did not within the settle timeout.</summary>
    private async Task<long> WaitForRepairAsync(long id, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (_time.GetElapsedTime(started) < SettleWait)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250), _time, cancellationToken).ConfigureAwait(false);
            var command = await _target.GetCommandAsync(id, cancellationToken).ConfigureAwait(false);
            if (command?.Status is "Completed" or "Failed")
            {
                return RepairRequest.Repaired(command.Detail);
            }
        }

        return 0;
    }
}
