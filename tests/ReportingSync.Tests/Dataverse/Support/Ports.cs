using System.Net;
using System.Net.Sockets;

namespace ReportingSync.Tests.Dataverse.Support;

internal static class Ports
{
    /// <summary>A loopback port nothing listens on (it was free a moment ago), for refused connections.</summary>
    public static int Closed()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
