using ReportingSync.Dataverse;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Model;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>
/// The client against the simulator over loopback HTTP: a small simulated organisation and a source configured for it.
/// For behaviour that needs a real peer (delta ordering, tokens, service protection), where the stub would only echo
/// what the test wrote into it.
/// </summary>
internal sealed class SimulatedDataverse : IAsyncDisposable
{
    private SimulatedDataverse(SimulatorHost host, SourceUnderTest sut)
    {
        Host = host;
        Sut = sut;
    }

    public SimulatorHost Host { get; }

    public SourceUnderTest Sut { get; }

    public DataverseChangeSource Source => Sut.Source;

    public static async Task<SimulatedDataverse> StartAsync(
        Action<SimulatorOptions>? simulator = null, Action<DataverseOptions>? client = null, TimeProvider? clientTime = null)
    {
        var host = await SimulatorFactory.StartAsync(simulator);
        return new SimulatedDataverse(host, SourceUnderTest.Create(host.BaseUrl, client, clientTime));
    }

    /// <summary>The layout the engine would build for <paramref name="entity"/>, from metadata read through the client.</summary>
    public async Task<TableLayout> LayoutAsync(string entity, params string[] include)
    {
        var schema = await Source.GetEntitySchemaAsync(entity, CancellationToken.None);
        return TableLayout.Create(schema, new ColumnSelection { Include = include });
    }

    /// <summary>Every page of a change-tracking read from <paramref name="cursor"/> (null: the initial read) to its delta link.</summary>
    public async Task<(List<ChangePage> Pages, SyncCursor DeltaLink)> ReadToDeltaLinkAsync(TableLayout layout, SyncCursor? cursor = null)
    {
        var pages = new List<ChangePage>();
        do
        {
            pages.Add(await Source.ReadChangesAsync(layout, cursor, CancellationToken.None));
            cursor = pages[^1].Next;
        }
        while (!cursor.IsDelta);

        return (pages, cursor);
    }

    public async ValueTask DisposeAsync()
    {
        await Sut.DisposeAsync();
        await Host.DisposeAsync();
    }
}
