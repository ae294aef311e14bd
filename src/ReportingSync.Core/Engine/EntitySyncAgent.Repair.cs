using ReportingSync.Engine.Repair;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Engine;

/// <summary>Repairs handed over by reconciliation: the worker that holds the entity's lease makes them, under that lease.</summary>
internal sealed partial class EntitySyncAgent
{
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
