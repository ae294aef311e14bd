using System.Collections.Immutable;

namespace ReportingSync.DataverseSimulator.Store;

/// <summary>
/// A row that changed after start (or was created or deleted). Immutable: every change stores a new instance, so
/// readers rendering a page never see a half-applied update.
/// </summary>
/// <param name="GenIndex">Index whose generated values fill attributes not in <paramref name="Values"/>; -1 for none.</param>
/// <param name="Values">Explicitly set attribute values (CLR types as documented on <see cref="SimulatorStore"/>).</param>
internal sealed record RowState(
    Guid Id,
    UInt128 Key,
    long Version,
    bool Deleted,
    int GenIndex,
    bool IsCreated,
    ImmutableDictionary<string, object?> Values);
