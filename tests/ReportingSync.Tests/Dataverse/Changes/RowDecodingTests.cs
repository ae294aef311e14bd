using System.Text;
using ReportingSync.Dataverse;
using ReportingSync.Model;
using ReportingSync.Tests.Dataverse.Support;
using static ReportingSync.Tests.Dataverse.Support.ContactSample;

namespace ReportingSync.Tests.Dataverse.Changes;

/// <summary>Decoding of answer bodies into rows, without HTTP: conversions, edge values and malformed input.</summary>
public sealed class RowDecodingTests
{
    private const string Api = "https://contoso.crm.dynamics.com/api/data/v9.2/";

    private static RowPage Decode(TableLayout layout, params string[] rows) =>
        RowPageReader.Decode(RowDecoderPlan.For(layout), Encoding.UTF8.GetBytes(Page(Api, null, DeltaLink(Api), false, rows)));

    private static object? Single(TableLayout layout, string column, string json)
    {
        var page = Decode(layout, $$"""{"contactid": "{{RowId1}}", "versionnumber": 1, {{json}}}""");
        return Value(page.Rows, 0, column);
    }

    [Fact]
    public void DateOnly_values_are_dates_in_standard_storage_and_midnight_UTC_in_DES_datetime_storage()
    {
        Layout.Find("birthdate")!.Type.Should().Be(ColumnStorageType.Date);
        DesLayout.Find("birthdate")!.Type.Should().Be(ColumnStorageType.DateTime);

        Single(Layout, "birthdate", "\"birthdate\": \"2023-04-07\"").Should().Be(new DateOnly(2023, 4, 7));
        var des = Single(DesLayout, "birthdate", "\"birthdate\": \"2023-04-07\"").Should().BeOfType<DateTime>().Subject;
        des.Should().Be(new DateTime(2023, 4, 7, 0, 0, 0, DateTimeKind.Utc));
        des.Kind.Should().Be(DateTimeKind.Utc);
    }

    [Fact]
    public void A_DateOnly_value_sent_with_a_time_keeps_its_written_date()
    {
        Single(Layout, "birthdate", "\"birthdate\": \"2023-04-07T00:00:00Z\"").Should().Be(new DateOnly(2023, 4, 7));
        Single(Layout, "birthdate", "\"birthdate\": \"2023-04-07T00:00:00+05:00\"").Should().Be(new DateOnly(2023, 4, 7));
    }

    [Fact]
    public void UserLocal_values_with_an_offset_become_UTC_while_time_zone_independent_values_stay_as_written()
    {
        Single(Layout, "createdon", "\"createdon\": \"2023-04-07T23:30:00+02:00\"")
            .Should().Be(new DateTime(2023, 4, 7, 21, 30, 0, DateTimeKind.Utc));
        Single(Layout, "dfeta_qtsdate", "\"dfeta_qtsdate\": \"2023-04-07T23:30:00+02:00\"")
            .Should().Be(new DateTime(2023, 4, 7, 23, 30, 0, DateTimeKind.Utc));
        var unspecified = Single(Layout, "createdon", "\"createdon\": \"2023-04-07T21:59:01\"").Should().BeOfType<DateTime>().Subject;
        unspecified.Should().Be(new DateTime(2023, 4, 7, 21, 59, 1));
        unspecified.Kind.Should().Be(DateTimeKind.Utc);
        Single(Layout, "createdon", "\"createdon\": \"1753-01-01T00:00:00Z\"").Should().Be(new DateTime(1753, 1, 1, 0, 0, 0, DateTimeKind.Utc));
    }

    [Fact]
    public void Decimals_are_exact_and_doubles_are_doubles_or_DES_decimals()
    {
        Single(Layout, "exchangerate", "\"exchangerate\": 12345678901234567.123456789").Should().Be(12345678901234567.123456789m);
        Single(Layout, "annualincome", "\"annualincome\": 0.1").Should().Be(0.1m);
        Single(Layout, "annualincome", "\"annualincome\": -922337203685477.5808").Should().Be(-922337203685477.5808m);
        Single(Layout, "address1_latitude", "\"address1_latitude\": -0.12775").Should().Be(-0.12775d);
        Single(DesLayout, "address1_latitude", "\"address1_latitude\": -0.12775").Should().Be(-0.12775m);
        Single(Layout, "address1_latitude", "\"address1_latitude\": 1e-7").Should().Be(1e-7d);
    }

    [Fact]
    public void Escaped_strings_and_property_names_are_read()
    {
        Single(Layout, "fullname", "\"full\\u006eame\": \"\\u05e9\\u05dc\\u05d5\\u05dd \\ud83d\\ude00 \\\"q\\\" \\\\ \\/\"")
            .Should().Be("שלום 😀 \"q\" \\ /");
        Single(Layout, "fullname", "\"fullname\": \"\"").Should().Be("");
        var long4000 = new string('x', 4000) + "é";
        Single(Layout, "fullname", $"\"fullname\": \"{long4000}\"").Should().Be(long4000, "the source never truncates");
    }

    [Theory]
    [InlineData("importsequencenumber", "3000000000", "expected a whole number that fits Int32, got number 3000000000.")]
    [InlineData("importsequencenumber", "1.5", "expected a whole number that fits Int32, got number 1.5.")]
    [InlineData("versionnumber", "\"12\"", "expected a whole number that fits Int64, got string \"12\".")]
    [InlineData("donotemail", "1", "expected true or false, got number 1.")]
    [InlineData("stageid", "\"not-a-guid\"", "expected a GUID string, got string \"not-a-guid\".")]
    [InlineData("birthdate", "\"2023-02-30\"", "expected an ISO-8601 date or date-time string, got string \"2023-02-30\".")]
    [InlineData("createdon", "\"yesterday at noon\"", "expected an ISO-8601 date or date-time string, got string \"yesterday at noon\".")]
    [InlineData("fullname", "42", "expected a string, got number 42.")]
    [InlineData("annualincome", "{\"Value\": 1}", "expected a number that fits decimal, got an object.")]
    [InlineData("dfeta_specialisms", "[2, 3]", "expected a string, got an array.")]
    public void A_value_of_the_wrong_kind_fails_with_a_precise_message(string column, string json, string problem)
    {
        var property = Layout.Find(column)!.Role == ColumnRole.LookupId ? $"_{column}_value" : column;
        var row = $$"""{"{{property}}": {{json}}, "contactid": "{{RowId1}}", "versionnumber": 1}""";

        var act = () => Decode(Layout, row);

        act.Should().Throw<RowDecodeException>().WithMessage($"Entity 'contact', row {RowId1}, column '{column}': {problem}");
    }

    [Fact]
    public void A_long_bad_value_is_shortened_in_the_message()
    {
        var act = () => Decode(Layout, $$"""{"contactid": "{{RowId1}}", "importsequencenumber": "{{new string('9', 100)}}"}""");

        act.Should().Throw<RowDecodeException>()
            .WithMessage($"Entity 'contact', row {RowId1}, column 'importsequencenumber': expected a whole number that fits Int32, got string \"{new string('9', 40)}…\".");
    }

    [Fact]
    public void A_row_without_its_primary_id_fails()
    {
        var act = () => Decode(Layout, """{"fullname": "Ann", "versionnumber": 1}""");

        act.Should().Throw<RowDecodeException>().WithMessage("Entity 'contact', row (id unknown), column 'contactid': the row has no primary id.");
    }

    [Fact]
    public void Unknown_properties_nested_values_and_annotations_are_skipped()
    {
        var page = Decode(Layout, $$"""
            {"@odata.etag": "W/\"1\"", "@odata.type": "#Microsoft.Dynamics.CRM.contact",
             "new_extra": {"a": [1, {"b": null}], "c": "d"}, "list": [[], {}],
             "fullname@OData.Community.Display.V1.FormattedValue": "ignored",
             "contactid": "{{RowId1}}", "fullname": "Kept", "versionnumber": 7}
            """);

        Value(page.Rows, 0, "fullname").Should().Be("Kept");
        page.Rows.GetVersion(0).Should().Be(7);
    }

    [Fact]
    public void Deleted_entities_become_deletes_and_rows_stay_rows_in_any_property_order()
    {
        var page = Decode(
            Layout,
            $$"""{"reason": "deleted", "id": "{{DeletedId}}", "@odata.context": "{{Api}}$metadata#contacts/$deletedEntity"}""",
            $$"""{"versionnumber": 3, "contactid": "{{RowId2}}"}""");

        page.Deletes.Should().Equal(Guid.Parse(DeletedId));
        page.Rows.Count.Should().Be(1);
        page.Rows.GetId(0).Should().Be(Guid.Parse(RowId2));
    }

    [Fact]
    public void Rows_that_change_their_property_order_or_drop_annotations_still_put_every_value_in_its_column()
    {
        // The page learns the order from the first row and predicts it for the next ones: every way a later row can
        // depart from it (a missing property, an annotation that comes and goes, an escaped name, a new unknown
        // property, a reversed order, a deleted entity in between) must still decode by name.
        const string RowId3 = "33333333-0000-4000-8000-000000000003";
        const string RowId4 = "44444444-0000-4000-8000-000000000004";
        const string RowId5 = "55555555-0000-4000-8000-000000000005";
        var page = Decode(
            Layout,
            $$"""{"contactid": "{{RowId1}}", "fullname": "One", "fullname@OData.Community.Display.V1.FormattedValue": "x", "importsequencenumber": 1, "versionnumber": 11}""",
            $$"""{"contactid": "{{RowId2}}", "fullname": "Two", "importsequencenumber": 2, "versionnumber": 12}""",
            $$"""{"reason": "deleted", "id": "{{DeletedId}}", "@odata.context": "{{Api}}$metadata#contacts/$deletedEntity"}""",
            $$"""{"versionnumber": 13, "importsequencenumber": 3, "new_unknown": [1], "full\u006eame": "Three", "contactid": "{{RowId3}}"}""",
            $$"""{"contactid": "{{RowId4}}", "importsequencenumber": 4, "versionnumber": 14}""",
            $$"""{"contactid": "{{RowId5}}", "fullname": "Five", "fullname@OData.Community.Display.V1.FormattedValue": "y", "importsequencenumber": 5, "versionnumber": 15}""");

        page.Deletes.Should().Equal(Guid.Parse(DeletedId));
        page.Rows.Count.Should().Be(5);
        var decoded = Enumerable.Range(0, page.Rows.Count)
            .Select(i => (page.Rows.GetId(i), Value(page.Rows, i, "fullname") as string, Value(page.Rows, i, "importsequencenumber") as int?, page.Rows.GetVersion(i)));
        (Guid, string?, int?, long)[] expected =
        [
            (Guid.Parse(RowId1), "One", 1, 11L),
            (Guid.Parse(RowId2), "Two", 2, 12L),
            (Guid.Parse(RowId3), "Three", 3, 13L),
            (Guid.Parse(RowId4), null, 4, 14L),
            (Guid.Parse(RowId5), "Five", 5, 15L),
        ];
        decoded.Should().Equal(expected);
    }

    [Fact]
    public void Truncated_json_is_a_json_error_so_the_transport_retries_it()
    {
        var body = Encoding.UTF8.GetBytes(Page(Api, null, DeltaLink(Api), false, FullRow));

        var act = () => RowPageReader.Decode(RowDecoderPlan.For(Layout), body.AsSpan(0, body.Length / 2));

        act.Should().Throw<System.Text.Json.JsonException>();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(333)]
    [InlineData(4097)]
    public void A_body_in_segments_decodes_as_it_does_in_one_piece_wherever_the_segments_break(int segmentBytes)
    {
        // Bodies arrive in segments and are read a segment at a time: a break inside a name, a string, a number, a
        // literal, an escape, a multi-byte character, an item, a skipped value or a link must change nothing.
        const string RowId3 = "33333333-0000-4000-8000-000000000003";
        var rows = new[]
        {
            FullRow,
            $$"""{"@odata.etag": "W/\"9\"", "new_extra": {"a": [1, {"b": null}], "c": "d \" é 😀"}, "contactid": "{{RowId2}}", "fullname": "{{new string('x', 9000)}}", "versionnumber": 12}""",
            $$"""{"reason": "deleted", "id": "{{DeletedId}}", "@odata.context": "{{Api}}$metadata#contacts/$deletedEntity"}""",
            $$"""{"versionnumber": 13, "importsequencenumber": -42, "full\u006eame": "Zoë \n\u00e9 日本", "contactid": "{{RowId3}}"}""",
        };
        var text = Page(Api, Api + "contacts?$skiptoken=" + new string('z', 5000), null, true, rows)
            .Replace("\"value\"", "\"@odata.count\": {\"skip\": [true, false, null, 1.5e3]}, \"value\"");
        var body = Encoding.UTF8.GetBytes(text);
        var plan = RowDecoderPlan.For(Layout);
        var whole = RowPageReader.Decode(plan, body.AsSpan());

        var split = RowPageReader.Decode(plan, Segments(body, segmentBytes));

        split.Links.Should().Be(whole.Links);
        split.Deletes.Should().Equal(whole.Deletes);
        split.Rows.Count.Should().Be(3);
        split.Rows.Rows.Should().BeEquivalentTo(whole.Rows.Rows, o => o.WithStrictOrdering());
        Value(split.Rows, 1, "fullname").Should().Be(new string('x', 9000));
        Value(split.Rows, 2, "fullname").Should().Be("Zoë \n\u00e9 日本");
    }

    [Fact]
    public void A_body_in_segments_that_ends_early_is_a_json_error()
    {
        var body = Encoding.UTF8.GetBytes(Page(Api, null, DeltaLink(Api), false, FullRow, FullRow.Replace(RowId1, RowId2)));

        var act = () => RowPageReader.Decode(RowDecoderPlan.For(Layout), Segments(body.AsSpan(0, body.Length - 40).ToArray(), 50));

        act.Should().Throw<System.Text.Json.JsonException>();
    }

    private static System.Buffers.ReadOnlySequence<byte> Segments(byte[] body, int segmentBytes) =>
        ResponseBody.Chain([.. body.Chunk(segmentBytes).Select(chunk => (ReadOnlyMemory<byte>)chunk)]);

    [Fact]
    public void The_plan_selects_lookups_by_their_value_property_and_asks_only_for_the_needed_annotations()
    {
        var plan = RowDecoderPlan.For(Layout);

        plan.Select.Should().Be(Select);
        plan.Prefer(5000, trackChanges: false).Should().Be(
            "odata.maxpagesize=5000,odata.include-annotations=\"Microsoft.Dynamics.CRM.lookuplogicalname,OData.Community.Display.V1.FormattedValue\"");
        RowDecoderPlan.For(Layout).Should().BeSameAs(plan, "plans are cached per layout");

        var plain = TableLayout.Create(Schema, new ColumnSelection { Include = ["fullname"] });
        RowDecoderPlan.For(plain).Select.Should().Be("contactid,fullname,versionnumber");
        RowDecoderPlan.For(plain).Prefer(100, trackChanges: true).Should().Be("odata.track-changes,odata.maxpagesize=100");
    }
}
