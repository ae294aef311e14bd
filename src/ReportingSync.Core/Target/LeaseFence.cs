namespace ReportingSync.Target;

/// <summary>
/// Fencing for a state change: it applies only while <see cref="Owner"/> holds the entity's lease and the lease is
/// unexpired by the database's clock; the same transaction renews it for <see cref="Duration"/> from the database's now.
/// A worker whose lease ran out (a long pause, a partition) can therefore never write, even if nobody took it over.
/// </summary>
public sealed record LeaseFence(string Owner, TimeSpan Duration);
