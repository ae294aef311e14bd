using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace ReportingSync.IntegrationTests.Operations;

/// <summary>
/// The Helm chart, the Grafana dashboard and the Dockerfile, checked without helm or Docker (neither can be installed
/// from this machine's registries): each template is rendered the simple way (<c>.Values</c> references replaced by the
/// values, other template actions dropped) and parsed with a YAML parser; the keys a cluster needs are asserted.
/// </summary>
public sealed partial class DeploymentFilesTests
{
    private static readonly string Chart = RepositoryFiles.Path("helm", "reportingsync");

    [Fact]
    public void Every_template_is_YAML_with_a_kind_and_a_name_and_every_value_it_uses_is_in_values_yaml()
    {
        var chart = Load(Path.Combine(Chart, "Chart.yaml"));
        Scalar(chart, "apiVersion").Should().Be("v2");
        Scalar(chart, "name").Should().Be("reportingsync");
        Scalar(chart, "version").Should().NotBeNullOrEmpty();

        var values = Load(Path.Combine(Chart, "values.yaml"));
        var kinds = new List<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Chart, "templates"), "*.yaml"))
        {
            var text = File.ReadAllText(file);
            foreach (Match reference in ValuesReference().Matches(text))
            {
                Node(values, reference.Groups[1].Value).Should().NotBeNull($"{Path.GetFileName(file)} uses .Values.{reference.Groups[1].Value}");
            }

            var document = Render(text, values);
            Scalar(document, "apiVersion").Should().NotBeNullOrEmpty(file);
            Scalar(document, "metadata.name").Should().NotBeNullOrEmpty(file);
            kinds.Add(Scalar(document, "kind")!);
        }

        kinds.Should().Contain(["Deployment", "Service", "ConfigMap", "ServiceAccount", "ServiceMonitor", "PrometheusRule", "Job"]);
        File.Exists(Path.Combine(Chart, "README.md")).Should().BeTrue("the values are documented in the chart README");
    }

    [Fact]
    public void The_deployment_probes_healthz_and_readyz_runs_as_non_root_and_takes_secrets_by_reference()
    {
        var values = Load(Path.Combine(Chart, "values.yaml"));
        var deployment = Render(File.ReadAllText(Path.Combine(Chart, "templates", "deployment.yaml")), values);
        var container = (YamlMappingNode)((YamlSequenceNode)Node(deployment, "spec.template.spec.containers")!).Children[0];

        Scalar(container, "livenessProbe.httpGet.path").Should().Be("/healthz");
        Scalar(container, "readinessProbe.httpGet.path").Should().Be("/readyz");
        Scalar(deployment, "spec.template.spec.securityContext.runAsNonRoot").Should().Be("true");
        Scalar(container, "securityContext.readOnlyRootFilesystem").Should().Be("true");
        Scalar(container, "securityContext.allowPrivilegeEscalation").Should().Be("false");

        // The helper that renders the environment: the connection string only ever comes from a Secret.
        var helpers = File.ReadAllText(Path.Combine(Chart, "templates", "_helpers.tpl"));
        helpers.Should().MatchRegex(@"ReportingSync__Target__ConnectionString\s+valueFrom:\s+secretKeyRef:");
        File.ReadAllText(Path.Combine(Chart, "values.yaml")).Should().NotContainAny("Password=", "ClientSecret:");
    }

    [Fact]
    public void Alert_rules_cover_staleness_over_ten_minutes_lag_over_five_reconciliation_differences_failed_entities_and_the_request_budget()
    {
        var values = Load(Path.Combine(Chart, "values.yaml"));
        var rule = Render(File.ReadAllText(Path.Combine(Chart, "templates", "prometheusrule.yaml")), values);
        var rules = ((YamlSequenceNode)Node(rule, "spec.groups")!).Children
            .SelectMany(g => ((YamlSequenceNode)Node((YamlMappingNode)g, "rules")!).Children.Cast<YamlMappingNode>())
            .ToDictionary(r => Scalar(r, "alert")!, r => Scalar(r, "expr")!);

        rules["ReportingSyncStale"].Should().Contain("reportingsync_staleness_seconds").And.Contain("> 600");
        rules["ReportingSyncLagging"].Should().Contain("reportingsync_lag_seconds_bucket").And.Contain("> 300");
        rules["ReportingSyncReconciliationDifferences"].Should().Contain("reportingsync_reconciliation_differences").And.Contain("> 0");
        rules["ReportingSyncEntityFailed"].Should().Contain("status=\"Failed\"");
        rules["ReportingSyncRequestBudget"].Should().Contain("reportingsync_dataverse_budget_used").And.Contain("> 0.8");
    }

    [Fact]
    public void The_dashboard_shows_lag_p95_staleness_throughput_throttling_errors_and_reconciliation()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(Chart, "dashboards", "reportingsync.json")));
        var expressions = string.Join("\n", DashboardExpressions(dashboard.RootElement));

        expressions.Should().Contain("histogram_quantile(0.95").And.Contain("reportingsync_lag_seconds_bucket")
            .And.Contain("reportingsync_staleness_seconds").And.Contain("reportingsync_rows_upserted_total")
            .And.Contain("reportingsync_dataverse_throttles_total").And.Contain("reportingsync_dataverse_throttled_time_seconds_total")
            .And.Contain("reportingsync_errors_total").And.Contain("reportingsync_reconciliation_differences")
            .And.Contain("reportingsync_poll_interval_seconds").And.Contain("reportingsync_dataverse_budget_used");
    }

    [Fact]
    public void The_Dockerfile_builds_with_the_SDK_runs_on_the_ASP_NET_runtime_as_a_non_root_user_with_a_health_check()
    {
        // No Docker engine runs here, so the file cannot be built in CI; its structure is what can be checked.
        var lines = File.ReadAllLines(RepositoryFiles.Path("Dockerfile")).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        stages.Should().HaveCount(2);
        stages[0].Should().MatchRegex(@"^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build$");
        stages[1].Should().MatchRegex(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0 AS runtime$");
        // Published for the image's architecture: that is what makes the worker ReadyToRun (ReportingSync.csproj).
        lines.Should().Contain(l => l.StartsWith("RUN dotnet restore -a $TARGETARCH", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("RUN dotnet publish", StringComparison.Ordinal) && l.Contains("-a $TARGETARCH", StringComparison.Ordinal));
        lines.Should().Contain(l => l.StartsWith("COPY --from=build", StringComparison.Ordinal));

        var runtime = lines.SkipWhile(l => l != stages[1]).ToList();
        var user = runtime.Single(l => l.StartsWith("USER ", StringComparison.Ordinal));
        user.Should().NotMatchRegex(@"^USER (root|0)(:|$)");
        runtime.Should().Contain(l => l.StartsWith("HEALTHCHECK", StringComparison.Ordinal) && l.Contains("/healthz", StringComparison.Ordinal));
        runtime.Should().Contain(l => l.StartsWith("ENTRYPOINT", StringComparison.Ordinal) && l.Contains("reportingsync.dll", StringComparison.Ordinal));
    }

    internal static IEnumerable<string> DashboardExpressions(JsonElement dashboard) =>
        dashboard.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.TryGetProperty("targets", out var targets) ? targets.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .Select(t => t.GetProperty("expr").GetString()!);

    /// <summary>
    /// The simple rendering: <c>{{ .Values.x }}</c> (optionally <c>| quote</c>) becomes the value, a line holding only a
    /// template action is dropped (conditions, includes of labels), any other action becomes a placeholder, and
    /// Prometheus' own escaped <c>{{`...`}}</c> text is kept as text.
    /// </summary>
    private static YamlMappingNode Render(string template, YamlMappingNode values)
    {
        var text = EscapedText().Replace(template, m => m.Groups[1].Value.Replace("{{", "<<", StringComparison.Ordinal).Replace("}}", ">>", StringComparison.Ordinal));
        text = ValueAction().Replace(text, m =>
        {
            var value = Scalar(values, m.Groups[1].Value) ?? "";
            return m.Groups[2].Success ? JsonSerializer.Serialize(value) : value;
        });
        var lines = text.Split('\n').Where(l => !ActionLine().IsMatch(l));
        text = AnyAction().Replace(string.Join('\n', lines), "placeholder");
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    private static YamlMappingNode Load(string file)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(file)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlNode? Node(YamlMappingNode root, string path)
    {
        YamlNode? node = root;
        foreach (var part in path.Split('.'))
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(part), out node))
            {
                return null;
            }
        }

        return node;
    }

    private static string? Scalar(YamlMappingNode root, string path) => (Node(root, path) as YamlScalarNode)?.Value;

    [GeneratedRegex(@"\.Values\.([A-Za-z0-9_.]+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"\{\{`(.*?)`\}\}")]
    private static partial Regex EscapedText();

    [GeneratedRegex(@"\{\{-?\s*\.Values\.([A-Za-z0-9_.]+)\s*(\|\s*quote\s*)?-?\}\}")]
    private static partial Regex ValueAction();

    [GeneratedRegex(@"^\s*\{\{-?[^}]*-?\}\}\s*$")]
    private static partial Regex ActionLine();

    [GeneratedRegex(@"\{\{.*?\}\}")]
    private static partial Regex AnyAction();
}
