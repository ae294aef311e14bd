namespace ReportingSync.DataverseSimulator.Model;

/// <summary>How a DateTime attribute stores and returns its values.</summary>
internal enum DateTimeBehavior
{
    UserLocal,
    DateOnly,
    TimeZoneIndependent,
}
