using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using ReportingSync.DataverseSimulator.Hosting;
using ReportingSync.Tests.Simulator.Support;

namespace ReportingSync.Tests.Simulator;

public sealed class AdminApiTests : IAsyncLifetime
{
    private SimulatorHost _host = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        _host = await SimulatorFactory.StartAsync();
        _admin = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Rows_can_be_created_updated_and_deleted_over_http()
    {
        var created = await _admin.PostAsJsonAsync("/admin/rows/contact", new { firstname = "Grace", lastname = "Hopper", birthdate = "1906-12-09", gendercode = 2 });
        created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        _host.Store.Get("contact", id)!["birthdate"].Should().Be(new DateOnly(1906, 12, 9));

        var updated = await _admin.PatchAsJsonAsync($"/admin/rows/contact/{id}", new { jobtitle = "Rear Admiral" });
        updated.StatusCode.Should().Be(HttpStatusCode.OK);
        _host.Store.Get("contact", id)!["jobtitle"].Should().Be("Rear Admiral");

        (await _admin.DeleteAsync($"/admin/rows/contact/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await _admin.DeleteAsync($"/admin/rows/contact/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await _admin.PostAsJsonAsync("/admin/rows/contact", new { gendercode = 12345 })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Limits_retention_and_faults_are_settable_over_http()
    {
        (await _admin.PutAsJsonAsync("/admin/limits", new { requestsPerWindow = 1, windowSeconds = 60 })).EnsureSuccessStatusCode();
        using var api = SimulatorFactory.Client(_host);
        (await api.GetAsync("accounts?$select=name")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await api.GetAsync("accounts?$select=name")).StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        (await _admin.PutAsJsonAsync("/admin/limits", new { requestsPerWindow = (int?)null })).EnsureSuccessStatusCode();

        (await _admin.PostAsJsonAsync("/admin/faults", new { kind = "ServiceUnavailable", count = 1, scope = "Query" })).StatusCode.Should().Be(HttpStatusCode.Created);
        (await api.GetAsync("accounts?$select=name")).StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        var faults = await _admin.GetFromJsonAsync<JsonElement>("/admin/faults");
        faults.GetProperty("countsByKind").GetProperty("ServiceUnavailable").GetInt32().Should().Be(1);

        var retention = await _admin.PutAsJsonAsync("/admin/retention", new { days = 2.0, floorAtCurrentVersion = true });
        retention.EnsureSuccessStatusCode();
        _host.Store.ChangeRetention.Should().Be(TimeSpan.FromDays(2));

        var log = await _admin.GetFromJsonAsync<JsonElement>("/admin/requests?entitySet=accounts");
        log.GetArrayLength().Should().Be(3);
        log[1].GetProperty("statusCode").GetInt32().Should().Be(429);
        (await _admin.DeleteAsync("/admin/requests")).EnsureSuccessStatusCode();
        _host.RequestLog.Query("accounts").Should().BeEmpty();
    }

    [Fact]
    public async Task Change_generator_and_schema_are_controllable_over_http()
    {
        var step = await _admin.PostAsJsonAsync("/admin/changes/step", new { count = 5, entities = new[] { "account" } });
        step.EnsureSuccessStatusCode();
        (await step.Content.ReadFromJsonAsync<JsonElement>()).GetArrayLength().Should().Be(5);

        (await _admin.PutAsJsonAsync("/admin/schema/account/changetracking", new { enabled = false })).EnsureSuccessStatusCode();
        _host.Store.FindEntity("account")!.ChangeTrackingEnabled.Should().BeFalse();

        (await _admin.PatchAsJsonAsync("/admin/schema/account/attributes/name", new { maxLength = 300 })).EnsureSuccessStatusCode();
        _host.Store.FindEntity("account")!.Find("name")!.MaxLength.Should().Be(300);

        (await _admin.PutAsJsonAsync("/admin/schema/contact/attributes/gendercode/options/1", new { value = 1, label = "M" })).EnsureSuccessStatusCode();
        _host.Store.FindEntity("contact")!.Find("gendercode")!.OptionSet!.Find(1)!.Label.Should().Be("M");

        var status = await _admin.GetFromJsonAsync<JsonElement>("/admin/status");
        status.GetProperty("tables").GetArrayLength().Should().Be(SimulatorFactory.SmallModel.Length);
    }
}
