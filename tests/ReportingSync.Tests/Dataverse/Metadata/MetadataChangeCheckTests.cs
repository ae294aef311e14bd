using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.Tests.Dataverse.Support;

namespace ReportingSync.Tests.Dataverse.Metadata;

/// <summary>
/// The client's cheap drift check (issue 15.3) against the simulator's RetrieveMetadataChanges: one request for every
/// configured table says which changed since the last stamp; an expired stamp costs one more request and names them all.
/// </summary>
public sealed class MetadataChangeCheckTests : IAsyncLifetime
{
    private static readonly string[] Tables = ["contact", "account", "dfeta_induction", "dfeta_qtsregistration"];
    private SimulatedDataverse _dataverse = null!;

    public async Task InitializeAsync() => _dataverse = await SimulatedDataverse.StartAsync();

    public async Task DisposeAsync() => await _dataverse.DisposeAsync();

    [Fact]
    public async Task The_first_check_names_every_table_and_hands_out_a_stamp_in_one_request()
    {
        var changes = await CheckAsync(null);

        changes.ChangedEntities.Should().BeEquivalentTo(Tables);
        changes.Stamp.Should().NotBeNullOrEmpty();
        changes.Expired.Should().BeFalse();
        MetadataRequests().Should().Be(1);
    }

    [Fact]
    public async Task Later_checks_name_only_the_tables_whose_columns_were_added_altered_removed_or_relabelled()
    {
        var stamp = (await CheckAsync(null)).Stamp;
        var quiet = await CheckAsync(stamp);
        quiet.ChangedEntities.Should().BeEmpty();

        var store = _dataverse.Host.Store;
        store.AddAttribute("contact", new AttributeSpec { LogicalName = "dfeta_mentorname", Type = AttributeType.String }, fillExistingRows: false);
        store.AlterAttribute("account", "name", new AttributeAlteration { MaxLength = 300 });
        store.RemoveAttribute("dfeta_induction", "dfeta_name");
        store.AddAttribute("systemuser", new AttributeSpec { LogicalName = "dfeta_note", Type = AttributeType.String }, fillExistingRows: false);
        var changed = await CheckAsync(quiet.Stamp);

        changed.ChangedEntities.Should().BeEquivalentTo(["contact", "account", "dfeta_induction"], "systemuser was not asked about");
        changed.Expired.Should().BeFalse();

        var status = store.FindEntity("dfeta_qtsregistration")!.Find("statuscode")!;
        store.RenameOptionLabel("dfeta_qtsregistration", "statuscode", status.OptionSet!.Options[0].Value, "Relabelled");
        (await CheckAsync(changed.Stamp)).ChangedEntities.Should().Equal("dfeta_qtsregistration");
        MetadataRequests().Should().Be(4, "every check is one request for all tables");
    }

    [Fact]
    public async Task A_removed_column_is_traced_to_its_table_from_an_earlier_schema_read_too()
    {
        var schema = await _dataverse.Source.GetEntitySchemaAsync("dfeta_qtsregistration", CancellationToken.None);
        var stamp = (await _dataverse.Source.GetMetadataChangesAsync(["contact"], null, CancellationToken.None)).Stamp;
        _dataverse.Host.Store.RemoveAttribute("dfeta_qtsregistration", schema.Attributes.First(a => a.LogicalName.StartsWith("dfeta_", StringComparison.Ordinal)).LogicalName);

        var changes = await _dataverse.Source.GetMetadataChangesAsync(["contact", "dfeta_qtsregistration"], stamp, CancellationToken.None);

        changes.ChangedEntities.Should().Equal("dfeta_qtsregistration");
    }

    [Fact]
    public async Task An_expired_stamp_falls_back_to_a_full_read_that_names_every_table_and_gives_a_working_stamp()
    {
        var stamp = (await CheckAsync(null)).Stamp;
        _dataverse.Host.Store.ExpireMetadataStamps();

        var expired = await CheckAsync(stamp);

        expired.Expired.Should().BeTrue();
        expired.ChangedEntities.Should().BeEquivalentTo(Tables);
        expired.Requests.Should().Be(2);
        MetadataRequests().Should().Be(3);
        _dataverse.Host.RequestLog.Query(kind: RequestKind.Metadata).Select(e => e.StatusCode).Should().Equal(200, 400, 200);
        var next = await CheckAsync(expired.Stamp);
        next.Expired.Should().BeFalse();
        next.ChangedEntities.Should().BeEmpty();
    }

    [Fact]
    public async Task All_55_reference_tables_are_checked_in_one_request_each_time()
    {
        await using var organisation = await SimulatedDataverse.StartAsync(o =>
        {
            o.Entities = null;
            o.RowCounts = SimulatorOptions.DefaultRowCounts.Keys.ToDictionary(k => k, _ => 5);
        });
        var tables = organisation.Host.Store.Entities.Select(e => e.LogicalName).ToList();
        organisation.Host.RequestLog.Reset();

        var first = await organisation.Source.GetMetadataChangesAsync(tables, null, CancellationToken.None);
        var second = await organisation.Source.GetMetadataChangesAsync(tables, first.Stamp, CancellationToken.None);

        tables.Should().HaveCount(55);
        first.ChangedEntities.Should().HaveCount(55);
        second.ChangedEntities.Should().BeEmpty();
        organisation.Host.RequestLog.BusiestWindow(TimeSpan.FromMinutes(5)).ByKind.Should().Equal(new Dictionary<RequestKind, int> { [RequestKind.Metadata] = 2 });
    }

    private Task<ReportingSync.Source.MetadataChanges> CheckAsync(string? stamp) =>
        _dataverse.Source.GetMetadataChangesAsync(Tables, stamp, CancellationToken.None);

    private int MetadataRequests() =>
        _dataverse.Host.RequestLog.Query(kind: RequestKind.Metadata).Count(e => e.RawTarget.Contains("RetrieveMetadataChanges", StringComparison.Ordinal));
}
