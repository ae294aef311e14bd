namespace ReportingSync.Model;

/// <summary>How Dataverse interprets a DateTime attribute (DateTimeAttributeMetadata.DateTimeBehavior).</summary>
public enum DateTimeBehavior
{
    UserLocal,
    DateOnly,
    TimeZoneIndependent,
}
