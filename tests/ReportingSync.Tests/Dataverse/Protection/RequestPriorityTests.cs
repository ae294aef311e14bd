using ReportingSync.Dataverse;
using ReportingSync.Source;

namespace ReportingSync.Tests.Dataverse.Protection;

/// <summary>Which requests give way when the budget runs short: what only seeds and reconciliation send, and links in their flow.</summary>
public sealed class RequestPriorityTests
{
    private static readonly Uri Url = new("https://contoso.crm.dynamics.com/api/data/v9.2/contacts");

    [Theory]
    [InlineData(nameof(RequestPurpose.ChangesStart), SourcePriority.Background)]
    [InlineData(nameof(RequestPurpose.Query), SourcePriority.Background)]
    [InlineData(nameof(RequestPurpose.QueryContinue), SourcePriority.Background)]
    [InlineData(nameof(RequestPurpose.Count), SourcePriority.Background)]
    [InlineData(nameof(RequestPurpose.ChangesContinue), SourcePriority.Streaming)]
    [InlineData(nameof(RequestPurpose.Metadata), SourcePriority.Streaming)]
    [InlineData(nameof(RequestPurpose.Organization), SourcePriority.Streaming)]
    [InlineData(nameof(RequestPurpose.MetadataChanges), SourcePriority.Streaming)]
    public void Seeds_reconciliation_and_counts_are_background_and_the_rest_streaming(string purpose, SourcePriority expected) =>
        new DataverseRequest(Url, "contact", Enum.Parse<RequestPurpose>(purpose)).EffectivePriority.Should().Be(expected);

    [Fact]
    public void In_a_seeding_flow_links_and_metadata_give_way_but_a_delta_link_and_the_drift_check_do_not()
    {
        using (SourcePriorityScope.Enter(SourcePriority.Background))
        {
            new DataverseRequest(Url, "contact", RequestPurpose.ChangesContinue).EffectivePriority.Should().Be(SourcePriority.Background);
            new DataverseRequest(Url, "contact", RequestPurpose.Metadata).EffectivePriority.Should().Be(SourcePriority.Background);
            new DataverseRequest(Url, "contact", RequestPurpose.ChangesContinue, Priority: SourcePriority.Streaming).EffectivePriority
                .Should().Be(SourcePriority.Streaming, "the delta read a re-seed makes to keep its live table fresh");
            new DataverseRequest(Url, "contact", RequestPurpose.MetadataChanges).EffectivePriority.Should().Be(SourcePriority.Streaming);
        }

        SourcePriorityScope.Current.Should().Be(SourcePriority.Streaming, "the scope ends with its using block");
    }
}
