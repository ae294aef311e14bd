namespace ReportingSync.Bench.Measurement;

/// <summary>A loopback port nobody listens on now, for a worker whose HTTP port must be known before it starts.</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
