using System.Text;
using ReportingSync.Hints;

namespace ReportingSync.Tests.Hints;

public sealed class DataverseMessageTests
{
    [Fact]
    public void The_table_comes_from_the_top_level_PrimaryEntityName_of_a_RemoteExecutionContext()
    {
        var body = """
            {"BusinessUnitId":"00000000-0000-0000-0000-000000000000","Depth":1,"InputParameters":[{"key":"Target","value":{"LogicalName":"account"}}],
             "MessageName":"Update","ParentContext":{"PrimaryEntityName":"account","MessageName":"Update"},"PrimaryEntityId":"8c9f3c4e-0000-0000-0000-000000000001","PrimaryEntityName":"contact","Stage":40}
            """;
        DataverseMessage.EntityFromBody(Encoding.UTF8.GetBytes(body)).Should().Be("contact");
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"MessageName":"Update"}""")]
    [InlineData("""{"PrimaryEntityName":"contact; drop table x"}""")]
    public void Bodies_without_a_usable_name_give_none(string body) =>
        DataverseMessage.EntityFromBody(Encoding.UTF8.GetBytes(body)).Should().BeNull();

    [Theory]
    [InlineData("contact", "contact")]
    [InlineData("\"dfeta_induction\"", "dfeta_induction")]
    [InlineData(" Contact ", "contact")]
    [InlineData("a/b", null)]
    [InlineData("", null)]
    public void Names_from_headers_and_properties_are_cleaned(string raw, string? expected) =>
        DataverseMessage.Clean(raw).Should().Be(expected);
}
