using System.Buffers;
using ReportingSync.Source;

namespace ReportingSync.Dataverse;

/// <summary>
/// A whole response body in a buffer rented from <see cref="ArrayPool{T}.Shared"/>. Reading it all before parsing
/// means a truncated body shows up as a transport fault (and is retried), and parsing never waits on the network.
/// Arrays go back to the pool on dispose, so pages of similar size reuse the same memory.
/// </summary>
internal sealed class ResponseBody : IDisposable
{
    private const int InitialSize = 64 * 1024;

    /// <summary>Far above any real page (5000 wide rows are tens of MB); protects the process from a runaway body.</summary>
    internal const int MaxSize = 1024 * 1024 * 1024;

    private byte[] _buffer;
    private int _length;

    private ResponseBody(byte[] buffer) => _buffer = buffer;

    public ReadOnlySpan<byte> Span => _buffer.AsSpan(0, _length);

    public int Length => _length;

    public static async Task<ResponseBody> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        // Content-Length is absent when the handler decompressed the body; then start small and grow.
        var declared = content.Headers.ContentLength;
        var initial = declared is > 0 and < MaxSize ? (int)declared.Value + 1 : InitialSize;
        var body = new ResponseBody(ArrayPool<byte>.Shared.Rent(initial));
        try
        {
            var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                await body.FillAsync(stream, cancellationToken).ConfigureAwait(false);
            }

            if (declared is { } expected && expected != body._length)
            {
                throw new IOException($"The response body ended after {body._length} of {expected} bytes.");
            }

            return body;
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    private async Task FillAsync(Stream stream, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_length == _buffer.Length)
            {
                Grow();
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return;
            }

            _length += read;
        }
    }

    private void Grow()
    {
        if (_buffer.Length >= MaxSize)
        {
            throw new SourceUnavailableException(
                $"A Dataverse answer is larger than {MaxSize / (1024 * 1024)} MiB; lower ReportingSync:Dataverse:PageSize.", isTransient: false);
        }

        var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min((long)_buffer.Length * 2, MaxSize));
        _buffer.AsSpan(0, _length).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
