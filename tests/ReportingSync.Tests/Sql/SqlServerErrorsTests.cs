using ReportingSync.Sql.SqlServer;

namespace ReportingSync.Tests.Sql;

/// <summary>Which SQL Server errors the engine waits out (page commit retried with backoff) and which it reports at once.</summary>
public sealed class SqlServerErrorsTests
{
    [Theory]
    // Azure SQL's documented transient fault codes.
    [InlineData(4060)]
    [InlineData(4221)]
    [InlineData(10928)]
    [InlineData(10929)]
    [InlineData(40197)]
    [InlineData(40501)]
    [InlineData(40613)]
    [InlineData(49918)]
    [InlineData(49919)]
    [InlineData(49920)]
    // Deadlock victim, command timeout, broken connections.
    [InlineData(1205)]
    [InlineData(-2)]
    [InlineData(233)]
    [InlineData(10053)]
    [InlineData(10054)]
    [InlineData(10060)]
    public void Azure_SQL_transient_faults_deadlocks_timeouts_and_broken_connections_are_transient(int number)
    {
        var (transient, what) = SqlServerErrors.Classify(number, 16);

        transient.Should().BeTrue();
        what.Should().NotBeNullOrEmpty();
    }

    [Fact]
    public void A_refused_connection_from_the_managed_network_layer_is_transient_only_at_connection_severity()
    {
        SqlServerErrors.Classify(0, 20).Should().Be((true, "the connection failed"));
        SqlServerErrors.Classify(0, 16).What.Should().BeNull();
    }

    [Theory]
    [InlineData(18456, "login failed")]
    [InlineData(229, "the login lacks a permission it needs")]
    [InlineData(262, "the login lacks a permission it needs")]
    public void Login_and_permission_failures_are_reported_at_once(int number, string what)
    {
        SqlServerErrors.Classify(number, 14).Should().Be((false, what));
    }

    [Theory]
    [InlineData(2627)] // primary key violation
    [InlineData(8152)] // string or binary data would be truncated
    [InlineData(207)]  // invalid column name
    public void Errors_about_the_data_or_the_statement_are_not_about_availability(int number)
    {
        SqlServerErrors.Classify(number, 16).Should().Be((false, (string?)null));
    }
}
