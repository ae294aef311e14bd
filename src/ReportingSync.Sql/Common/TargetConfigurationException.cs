using ReportingSync.Target;

namespace ReportingSync.Sql;

/// <summary>
/// The target configuration cannot work (missing or malformed connection string, unsupported provider, bad schema
/// name). Retrying does not help; the message names the configuration key and never contains a password.
/// </summary>
public sealed class TargetConfigurationException(string message, Exception? inner = null) : TargetException(message, inner)
{
    public override bool IsTransient => false;
}
