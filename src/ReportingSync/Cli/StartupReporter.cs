using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;
using ReportingSync.Source;
using ReportingSync.Target;

namespace ReportingSync.Cli;

/// <summary>
/// Turns the ways a command can fail to start into one clear message each on stderr, and the right exit code. Nothing
/// here includes configuration values, so secrets cannot leak through it.
/// </summary>
internal static partial class StartupReporter
{
    public static async Task<int> GuardAsync(TextWriter error, Func<Task<int>> command)
    {
        try
        {
            return await command().ConfigureAwait(false);
        }
        catch (OptionsValidationException ex)
        {
            return await ConfigurationErrorAsync(error, [ex]).ConfigureAwait(false);
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Start-up validation found bad settings in more than one section (say ReportingSync and ReportingSync:Dataverse):
            // every key of every section is named, as for one.
            return await ConfigurationErrorAsync(error, ex.InnerExceptions.Cast<OptionsValidationException>()).ConfigureAwait(false);
        }
        catch (StartupException ex)
        {
            await error.WriteLineAsync("Cannot start:").ConfigureAwait(false);
            foreach (var problem in ex.Problems)
            {
                await error.WriteLineAsync("  - " + problem).ConfigureAwait(false);
            }

            return ExitCodes.CannotStart;
        }
        catch (Exception ex) when (ex is TargetException or SourceException)
        {
            // Lost during start-up after the retries: the same clear line as a failed preflight, not a stack trace.
            await error.WriteLineAsync("Cannot start:").ConfigureAwait(false);
            await error.WriteLineAsync("  - " + ex.Message).ConfigureAwait(false);
            return ExitCodes.CannotStart;
        }
        catch (InvalidDataException ex)
        {
            // A --config file that is not valid JSON.
            await error.WriteLineAsync("Configuration error: " + ex.Message).ConfigureAwait(false);
            return ExitCodes.CannotStart;
        }
        catch (FileNotFoundException ex)
        {
            await error.WriteLineAsync($"Configuration error: file not found: {ex.FileName ?? ex.Message}").ConfigureAwait(false);
            return ExitCodes.CannotStart;
        }
    }

    /// <summary>
    /// The message of a DataAnnotations failure without the wrapper Microsoft.Extensions.Options puts around it
    /// (<c>DataAnnotation validation failed for 'X' members: 'Y' with the error: '…'.</c>): ours already name the key.
    /// </summary>
    private static string Plain(string failure) =>
        DataAnnotationFailure().Match(failure) is { Success: true } match ? match.Groups["message"].Value : failure;

    [GeneratedRegex(@"^DataAnnotation validation failed for '[^']*' members: '[^']*' with the error: '(?<message>.*)'\.$", RegexOptions.Singleline)]
    private static partial Regex DataAnnotationFailure();

    private static async Task<int> ConfigurationErrorAsync(TextWriter error, IEnumerable<OptionsValidationException> errors)
    {
        await error.WriteLineAsync("Configuration error:").ConfigureAwait(false);
        foreach (var failure in errors.SelectMany(e => e.Failures).SelectMany(f => f.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)))
        {
            await error.WriteLineAsync("  - " + Plain(failure.Trim().TrimEnd(';'))).ConfigureAwait(false);
        }

        return ExitCodes.CannotStart;
    }
}
