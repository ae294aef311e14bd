using ReportingSync.Engine.Repair;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Engine;

/// <summary>Repairs handed over by reconciliation: the worker that holds the entity's lease makes them, under that lease.</summary>
internal sealed partial class EntitySyncAgent
{
    /// <summary>Set by every metadata read: quarantined rows are read again at the next streaming cycle.</summary>
    private bool _quarantineDue = true;

    /// <summary>
    /// Rows quarantined because a column could not hold a value (a string longer than the column, say) are read again
    /// after each metadata read, which is when drift widens a column: the ones that fit now reach the table (and leave
    /// the quarantine), the others stay quarantined. Without this they would wait for their next change in the source.
    /// </summary>
    private async Task RetryQuarantineAsync(CancellationToken cancellationToken)
    {
        if (!_quarantineDue || _queries is null || _layout is null || EffectiveStatus(_state) != EntityStatus.Streaming)
        {
            return;
        }

        var held = await _states.LoadQuarantineAsync(EntityName, cancellationToken).ConfigureAwait(false);
        if (held.Count > 0)
        {
            var rows = held.Select(q => new RepairTarget(q.RecordId, FindingKind.Missing)).ToList();
            var written = await new RowRepair(_queries, _target, Masker, _time, _log).RepairAsync(_layout, rows, Fence, cancellationToken).ConfigureAwait(false);
            _state = await _states.LoadStateAsync(EntityName, cancellationToken).ConfigureAwait(false) ?? _state;
            var left = (await _states.LoadQuarantineAsync(EntityName, cancellationToken).ConfigureAwait(false)).Count;
            Log.QuarantineRetried(_log, EntityName, held.Count, written, left);
        }

        _quarantineDue = false;
    }

    private static bool IsRepair(SyncCommand command) =>
        string.Equals(command.Kind, Reconciliation.Reconciler.RepairCommandKind, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Each command's rows are repaired through the normal fenced commit, then the command completes; a crash in between
    /// repairs them again, which changes nothing the second time.
    /// </summary>
    private async Task RepairAsync(IReadOnlyList<SyncCommand> commands, CancellationToken cancellationToken)
    {
        if (commands.Count == 0 || _queries is null || _layout is null || _state.SeedCompletedUtc is null)
        {
            return;
        }

        var repair = new RowRepair(_queries, _target, Masker, _time, _log);
        foreach (var command in commands)
        {
            IReadOnlyList<RepairTarget> rows;
            try
            {
                rows = RepairRequest.Parse(command.Detail);
            }
            catch (FormatException bad)
            {
                await FinishCommandsAsync([command], CommandAction.Fail, bad.Message, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var repaired = await repair.RepairAsync(_layout, rows, Fence, cancellationToken).ConfigureAwait(false);
            _state = await _states.LoadStateAsync(EntityName, cancellationToken).ConfigureAwait(false) ?? _state;
            await FinishCommandsAsync([command], CommandAction.Complete, RepairRequest.Done(repaired), cancellationToken).ConfigureAwait(false);
            Log.Repaired(_log, EntityName, repaired, command.Id, rows.Count);
        }
    }
}
