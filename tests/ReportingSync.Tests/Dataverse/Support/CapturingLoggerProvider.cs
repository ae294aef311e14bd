using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>Keeps every log line (message, state values and exception text) for assertions.</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(EventId Id, LogLevel Level, string Text)> _lines = new();

    public IReadOnlyList<(EventId Id, LogLevel Level, string Text)> Lines => _lines.ToList();

    public string AllText => string.Join('\n', _lines.Select(l => l.Text));

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider provider) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : "";
            provider._lines.Enqueue((eventId, logLevel, $"{formatter(state, exception)} [{values}] {exception}"));
        }
    }
}
