using System.Buffers;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// A whole response body in 64 KiB segments rented from a pool of its own, parsed as one
/// <see cref="ReadOnlySequence{T}"/>. Reading it all before parsing means a truncated body shows up as a transport
/// fault (and is retried), and parsing never waits on the network.
/// </summary>
/// <remarks>
/// Segments, not one growing array: a page of 5000 wide rows is ~64 MB of JSON sent without Content-Length
/// (chunked or decompressed), and doubling a pooled array from 64 KiB to 64 MiB rented and returned one array of
/// every size on the way (~128 MB) and left all of them in the shared pool's buckets, per thread, for the life of the
/// process; the peak RSS grew with the number of threads that had read a page. Segments of one small size stay out of
/// the large object heap, are reused from one bucket, and a body costs its own length and no more.
/// </remarks>
internal sealed class ResponseBody : IDisposable
{
    internal const int SegmentSize = 64 * 1024;

    /// <summary>Segments kept for reuse: 64 MiB, two 60-column pages for each of eight seed lanes.</summary>
    internal const int SegmentsKept = 1024;

    // Not ArrayPool<byte>.Shared: that keeps a few dozen arrays of a size per core, and a page is hundreds of segments,
    // so most were allocated afresh for every page and, alive while the page was decoded, promoted: a 1M-row x
    // 60-column seed allocated 1.4 GB of byte[] and collected gen2 8 times (GC pauses 2.6 s). A pool of its own keeps
    // up to SegmentsKept, returned ones beyond that are left to the GC as before.
    private static readonly ArrayPool<byte> Segments = ArrayPool<byte>.Create(SegmentSize, SegmentsKept);

    /// <summary>Far above any real page (5000 wide rows are tens of MB); protects the process from a runaway body.</summary>
    internal const long MaxSize = 1024L * 1024 * 1024;

    private readonly List<byte[]> _segments = [];
    private int _lastUsed;

    private ResponseBody()
    {
    }

    /// <summary>The body; valid until <see cref="Dispose"/>.</summary>
    public ReadOnlySequence<byte> Sequence { get; private set; } = ReadOnlySequence<byte>.Empty;

    public long Length { get; private set; }

    public static async Task<ResponseBody> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // Content-Length is absent when the handler decompressed the body or the server chunked it.
        var declared = content.Headers.ContentLength;
        var body = new ResponseBody();
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await body.FillAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            if (declared is { } expected && expected != body.Length)
            {
                throw new IOException($"The response body ended after {body.Length} of {expected} bytes.");
            }

            body.Sequence = body.BuildSequence();
            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    /// <summary>The body as one span: for small bodies (error answers) only, as it copies when the body spans segments.</summary>
    public ReadOnlySpan<byte> ToContiguous() => Sequence.IsSingleSegment ? Sequence.FirstSpan : Sequence.ToArray();

    private async Task FillAsync(Stream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_segments.Count == 0 || _lastUsed == _segments[^1].Length)
            {
                if (Length >= MaxSize)
                {
                    throw new SourceUnavailableException(
                        $"A Dataverse answer is larger than {MaxSize / (1024 * 1024)} MiB; lower ReportingSync:Dataverse:PageSize.", isTransient: false);
                }

                _segments.Add(Segments.Rent(SegmentSize));
                _lastUsed = 0;
            }

            var segment = _segments[^1];
            var read = await stream.ReadAsync(segment.AsMemory(_lastUsed), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            _lastUsed += read;
            Length += read;
        }
    }

    private ReadOnlySequence<byte> BuildSequence() =>
        Chain([.. _segments.Select((segment, i) => (ReadOnlyMemory<byte>)segment.AsMemory(0, i == _segments.Count - 1 ? _lastUsed : segment.Length))]);

    /// <summary>Blocks of memory as one sequence, in order (a body's segments; tests split bodies with it).</summary>
    internal static ReadOnlySequence<byte> Chain(IReadOnlyList<ReadOnlyMemory<byte>> blocks)
    {
        if (blocks.Count == 0)
        {
            return ReadOnlySequence<byte>.Empty;
        }

        if (blocks.Count == 1)
        {
            return new ReadOnlySequence<byte>(blocks[0]);
        }

        var first = new Segment(blocks[0], 0);
        var last = first;
        for (var i = 1; i < blocks.Count; i++)
        {
            last = last.Append(blocks[i]);
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    public void Dispose()
    {
        Sequence = ReadOnlySequence<byte>.Empty;
        foreach (var segment in _segments)
        {
            Segments.Return(segment);
        }

        _segments.Clear();
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
