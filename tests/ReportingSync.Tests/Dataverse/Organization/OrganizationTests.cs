using ReportingSync.DataverseSimulator.Faults;
using ReportingSync.DataverseSimulator.Requests;
using ReportingSync.Model;
using ReportingSync.Source;
using ReportingSync.Tests.Dataverse.Support;

namespace ReportingSync.Tests.Dataverse.Organization;

/// <summary>
/// Issue 18.3: which organisation a URL reaches, links saved under another host of it, and links Dataverse refuses. A
/// second simulator with the same seed plays the same organisation under a new URL (the second <c>demo</c> in the same
/// folder); one with another <c>OrganizationId</c> plays another environment.
/// </summary>
public sealed class OrganizationTests
{
    [Fact]
    public async Task The_organisation_id_comes_from_WhoAmI_and_stays_the_same_under_a_new_URL()
    {
        await using var first = await SimulatedDataverse.StartAsync();
        await using var second = await SimulatedDataverse.StartAsync();
        var other = Guid.Parse("3f2a9c1e-7b4d-4e8a-9c61-2d5b7e0f4a18");
        await using var elsewhere = await SimulatedDataverse.StartAsync(o => o.OrganizationId = other);

        var id = await first.Source.GetOrganizationIdAsync(CancellationToken.None);

        id.Should().Be(first.Host.OrganizationId).And.NotBe(Guid.Empty);
        second.Host.BaseUrl.Should().NotBe(first.Host.BaseUrl);
        (await second.Source.GetOrganizationIdAsync(CancellationToken.None)).Should().Be(id);
        (await elsewhere.Source.GetOrganizationIdAsync(CancellationToken.None)).Should().Be(other);
        first.Source.OrganizationUrl.Should().Be(new Uri(first.Host.BaseUrl + "/"));
    }

    [Fact]
    public async Task A_link_saved_under_the_old_URL_is_refused_unsent_and_read_once_rebased_onto_the_new_one()
    {
        await using var before = await SimulatedDataverse.StartAsync();
        var layout = await before.LayoutAsync("account", "name");
        var saved = (await before.ReadToDeltaLinkAsync(layout)).DeltaLink;
        await using var after = await SimulatedDataverse.StartAsync();
        var row = after.Host.Store.Snapshot("account")[2];
        after.Host.Store.Update("account", row.Id, new Dictionary<string, object?> { ["name"] = "Renamed Academy Trust" });
        after.Host.RequestLog.Reset();

        var act = () => after.Source.ReadChangesAsync(layout, saved, CancellationToken.None);

        var refused = (await act.Should().ThrowAsync<CursorRejectedException>()).Which;
        refused.WasSent.Should().BeFalse();
        refused.Message.Should().Contain($"it points at {before.Host.BaseUrl}, not at the configured organisation {after.Host.BaseUrl}")
            .And.NotContain("HTTP 0");
        after.Host.RequestLog.Entries.Should().BeEmpty();

        var rebased = SyncCursor.Delta(SourceLink.Rebase(saved.Url, after.Source.OrganizationUrl));
        var page = await after.Source.ReadChangesAsync(layout, rebased, CancellationToken.None);

        page.Upserts.Rows.Select(r => r[layout.IdOrdinal]).Should().Equal(row.Id);
        after.Host.RequestLog.Entries.Single().RawTarget.Should().Be(saved.Url[before.Host.BaseUrl.Length..]);
    }

    [Fact]
    public async Task A_token_the_organisation_never_issued_is_rejected_by_it_with_400_and_asks_for_a_restart()
    {
        await using var issuer = await SimulatedDataverse.StartAsync(o => o.OrganizationId = Guid.NewGuid());
        var layout = await issuer.LayoutAsync("account", "name");
        foreach (var row in issuer.Host.Store.Snapshot("account").Take(3))
        {
            issuer.Host.Store.Update("account", row.Id, new Dictionary<string, object?> { ["name"] = "Moved on" });
        }

        var saved = (await issuer.ReadToDeltaLinkAsync(layout)).DeltaLink;
        await using var fresh = await SimulatedDataverse.StartAsync();

        var act = () => fresh.Source.ReadChangesAsync(layout, SyncCursor.Delta(SourceLink.Rebase(saved.Url, fresh.Source.OrganizationUrl)), CancellationToken.None);

        var rejected = (await act.Should().ThrowAsync<CursorRejectedException>()).Which;
        rejected.StatusCode.Should().Be(400);
        rejected.WasSent.Should().BeTrue();
        rejected.Message.Should().Contain("code 0x80040203").And.Contain("was not issued by this organization");
        fresh.Host.RequestLog.Query(kind: RequestKind.Delta).Should().ContainSingle("a rejected link is not retried");
    }

    [Fact]
    public async Task An_expired_token_in_a_500_body_is_recognised_at_once_and_not_retried()
    {
        await using var dataverse = await SimulatedDataverse.StartAsync();
        var layout = await dataverse.LayoutAsync("account", "name");
        var saved = (await dataverse.ReadToDeltaLinkAsync(layout)).DeltaLink;
        dataverse.Host.Faults.Add(new FaultRule { Kind = FaultKind.ExpiredTokenServerError, Scope = FaultScope.Delta, Count = 1 });

        var act = () => dataverse.Source.ReadChangesAsync(layout, saved, CancellationToken.None);

        var expired = (await act.Should().ThrowAsync<ChangeTokenExpiredException>()).Which;
        expired.Entity.Should().Be("account");
        dataverse.Host.RequestLog.Query(kind: RequestKind.Delta).Select(e => e.StatusCode).Should().Equal(500);
    }
}
