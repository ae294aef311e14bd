namespace ReportingSync.Tests.Dataverse.Support;

/// <summary>Base of test classes that run a source against a fresh loopback stub per test.</summary>
public abstract class LoopbackSourceTests : IAsyncLifetime
{
    private protected StubDataverse Stub { get; private set; } = null!;

    /// <summary>A source on <see cref="Stub"/> with fast retries; tests needing other options create their own.</summary>
    private protected SourceUnderTest Sut { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        Stub = await StubDataverse.StartAsync();
        Sut = SourceUnderTest.Create(Stub.Url);
    }

    public async Task DisposeAsync()
    {
        await Sut.DisposeAsync();
        await Stub.DisposeAsync();
    }
}
