using System.Globalization;
using ReportingSync.Model;
using ReportingSync.Target;

namespace ReportingSync.Cli;

/// <summary>
/// The <c>reseed --wait</c> progress bar on stderr: redrawn in place on a terminal, a plain line every few seconds
/// otherwise (CI logs, pipes), so stdout keeps only the results.
/// </summary>
internal sealed class ReseedProgressView(TextWriter error, TimeProvider time)
{
    private const int BarWidth = 30;
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);
    private readonly bool _interactive = ReferenceEquals(error, Console.Error) && !Console.IsErrorRedirected;
    private DateTimeOffset _lastPlain = DateTimeOffset.MinValue;
    private string? _lastLine;

    public void Show(string entity, SyncCommand? command, EntityState? state)
    {
        var line = Describe(entity, command, state);
        if (_interactive)
        {
            error.Write("\r" + line.PadRight(Math.Max(line.Length, _lastLine?.Length ?? 0)));
        }
        else if (line != _lastLine && time.GetUtcNow() - _lastPlain >= PlainInterval)
        {
            error.WriteLine(line);
            _lastPlain = time.GetUtcNow();
        }

        _lastLine = line;
    }

    public void Finish(string entity, SyncCommand command)
    {
        if (_interactive && _lastLine is not null)
        {
            error.WriteLine();
        }

        _lastLine = null;
        _lastPlain = DateTimeOffset.MinValue;
    }

    internal static string Describe(string entity, SyncCommand? command, EntityState? state)
    {
        if (command is null or { Status: "Pending" })
        {
            return $"{entity}: waiting for a running worker to pick the request up";
        }

        if (state is not { Status: EntityStatus.Reseeding } && state is not { ResumeStatus: EntityStatus.Reseeding })
        {
            return $"{entity}: picked up by {command.PickedUpBy}";
        }

        var copied = state.SeedRowsCopied;
        if (state.SeedRowsEstimated is > 0 and var total)
        {
            var fraction = Math.Clamp((double)copied / total, 0, 1);
            var filled = (int)Math.Round(fraction * BarWidth);
            return string.Create(CultureInfo.InvariantCulture,
                $"{entity}: [{new string('#', filled)}{new string('.', BarWidth - filled)}] {fraction * 100:0}% {copied:N0} / ~{total:N0} rows{Failure(state)}");
        }

        return string.Create(CultureInfo.InvariantCulture, $"{entity}: {copied:N0} rows copied into the shadow table{Failure(state)}");
    }

    private static string Failure(EntityState state) =>
        state.Status == EntityStatus.Failed ? $" (retrying after: {state.LastError})" : "";
}
