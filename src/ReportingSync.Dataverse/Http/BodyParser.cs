using System.Buffers;

namespace ReportingSync.Dataverse;

/// <summary>Turns a complete, successful response body into a result. Runs inside the retried operation.</summary>
internal delegate T BodyParser<out T>(ReadOnlySequence<byte> body);
