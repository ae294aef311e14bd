namespace ReportingSync.Model;

/// <summary>
/// An object in the reporting database that a schema change (a re-seed's swap, in-place drift DDL) could not keep, and
/// what a DBA can do about it.
/// </summary>
/// <param name="Name">What it is, as the database names it: <c>view public.analyst_contacts</c>, <c>index [ix_age] on [dbo].[contact]</c>.</param>
/// <param name="Reason">Why the change cannot keep it.</param>
/// <param name="Remedy">What to do so the change can go ahead.</param>
public sealed record BlockingObject(string Name, string Reason, string Remedy)
{
    public override string ToString() => $"{Name}: {Reason} {Remedy}";
}
