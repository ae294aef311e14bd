using System.Text.RegularExpressions;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>Turns a final (not retried) error answer into the Core exception that tells the engine what to do.</summary>
internal static partial class ErrorMapping
{
    /// <summary>
    /// Dataverse words this differently across versions ("... is not enabled for change tracking", "Change tracking is
    /// not enabled ..."); it must not match "... isn't supported when Change Tracking is enabled".
    /// </summary>
    [GeneratedRegex(
        @"(?:not|n't)\s+enabled\s+for\s+change\s+tracking|change\s+tracking\s+(?:is\s+not|isn't)\s+enabled|(?:does\s+not|doesn't)\s+have\s+change\s+tracking\s+enabled",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ChangeTrackingDisabled();

    public static Exception ToException(DataverseRequest request, int status, string? reason, DataverseError error, string host)
    {
        var entity = request.Entity;
        var isChangeRead = request.Purpose is RequestPurpose.ChangesStart or RequestPurpose.ChangesContinue;

        // Checked first: the expired token arrives with different statuses depending on the request.
        if (error.HasCode(ChangeTokenExpiredException.ErrorCode))
        {
            return request.Purpose == RequestPurpose.MetadataChanges
                ? new MetadataStampExpiredException(error.Describe(status, reason))
                : new ChangeTokenExpiredException(entity, error.Message);
        }

        if (isChangeRead && status == 400 && error.Message is { } message && ChangeTrackingDisabled().IsMatch(message))
        {
            return new ChangeTrackingDisabledException(entity);
        }

        var detail = error.Describe(status, reason);
        return request.Purpose switch
        {
            RequestPurpose.Metadata when status == 404 => new EntityNotFoundException(entity),
            RequestPurpose.ChangesContinue or RequestPurpose.QueryContinue when status is 400 or 404 or 410 =>
                new CursorRejectedException(entity, status, detail),
            _ => new SourceUnavailableException($"Dataverse at {host} refused the request for '{entity}' ({detail}).", isTransient: false),
        };
    }
}
