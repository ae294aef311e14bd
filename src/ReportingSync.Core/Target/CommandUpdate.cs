namespace ReportingSync.Target;

/// <summary>What a state change does to the entity's commands, in the same transaction (so it is fenced with it).</summary>
public enum CommandAction
{
    /// <summary>Mark <see cref="CommandUpdate.Ids"/> as picked up (Pending, or Running for a claimer that lost them).</summary>
    Claim,

    /// <summary>Mark <see cref="CommandUpdate.Ids"/> Completed.</summary>
    Complete,

    /// <summary>Mark <see cref="CommandUpdate.Ids"/> Failed.</summary>
    Fail,

    /// <summary>Mark every Running re-seed command of the entity Completed (the swap that answers them).</summary>
    CompleteRunningReseeds,
}

/// <param name="Owner">Written as the command's <c>PickedUpBy</c> on a claim.</param>
/// <param name="Detail">Written as the command's <c>Detail</c> on completion.</param>
public sealed record CommandUpdate(CommandAction Action, IReadOnlyList<long> Ids, string Owner, string? Detail = null);
