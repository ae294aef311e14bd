using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Sql.SqlServer;

namespace ReportingSync.Tests.Sql;

/// <summary>
/// What the SQL Server target sets aside before a page is written (no SQL Server here; the gated integration suite runs
/// the same case against a real one): values <c>datetime</c> or <c>nvarchar(n)</c> cannot hold go to the quarantine with
/// the column and the reason, the other rows of the page are written.
/// </summary>
public sealed class SqlServerRowScreenTests
{
    private static readonly EntitySchema Contact = new()
    {
        LogicalName = "contact",
        EntitySetName = "contacts",
        PrimaryIdAttribute = "contactid",
        Attributes =
        [
            new AttributeSchema { LogicalName = "contactid", Kind = AttributeKind.Uniqueidentifier },
            new AttributeSchema { LogicalName = "fullname", Kind = AttributeKind.String, MaxLength = 10 },
            new AttributeSchema { LogicalName = "modifiedon", Kind = AttributeKind.DateTime },
            new AttributeSchema { LogicalName = "versionnumber", Kind = AttributeKind.BigInt },
        ],
    };

    /// <summary>
    /// Dataverse's earliest date, 1753-01-01 00:00, entered by a user one hour east of UTC, arrives as 1752-12-31 23:00 UTC:
    /// below DES <c>datetime</c>'s range, inside <c>datetime2</c>'s.
    /// </summary>
    private static readonly DateTime BeforeDatetime = new(1752, 12, 31, 23, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void In_DES_mode_a_date_before_1753_sets_its_row_aside_with_the_reason_and_the_page_goes_on()
    {
        var layout = TableLayout.Create(Contact, options: new LayoutOptions { Compatibility = SchemaCompatibility.Des });
        var early = Row(layout, "early", BeforeDatetime);
        var fine = Row(layout, "fine", new DateTime(1753, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var screened = Screen(layout, early, fine);

        screened.Accepted.Should().Equal([fine]);
        var entry = screened.Quarantined.Should().ContainSingle().Subject;
        (entry.RecordId, entry.VersionNumber, entry.ColumnName).Should().Be(((Guid)early[0]!, 7L, "modifiedon"));
        entry.Reason.Should().Be("the date is outside the range of datetime (1753-01-01 to 9999-12-31 23:59:59.997).");
    }

    [Fact]
    public void Outside_DES_mode_datetime2_holds_the_same_date()
    {
        var layout = TableLayout.Create(Contact);

        Screen(layout, Row(layout, "early", BeforeDatetime)).Quarantined.Should().BeEmpty();
    }

    [Fact]
    public void A_string_of_9_characters_but_11_UTF16_units_is_too_long_for_nvarchar_10_and_is_set_aside_not_cut()
    {
        var layout = TableLayout.Create(Contact);
        var emoji = Row(layout, "emoji! \U0001F600\U0001F600", null);

        var entry = Screen(layout, emoji).Quarantined.Should().ContainSingle().Subject;

        entry.ColumnName.Should().Be("fullname");
        entry.Reason.Should().Be("the value has 11 UTF-16 code units but the column holds at most 10; it would be truncated.");
    }

    private static ScreenedRows Screen(TableLayout layout, params object?[][] rows) =>
        RowScreen.Screen(layout, layout.TableName, rows, (column, value) => SqlServerValues.Problem(column, value, layout.Options.Compatibility));

    private static object?[] Row(TableLayout layout, string name, DateTime? modifiedOn)
    {
        var row = new object?[layout.Columns.Count];
        row[layout.IdOrdinal] = Guid.NewGuid();
        row[layout.IndexOf("fullname")] = name;
        row[layout.IndexOf("modifiedon")] = modifiedOn;
        row[layout.VersionOrdinal] = 7L;
        return row;
    }
}
