using Microsoft.AspNetCore.Http;
using ReportingSync.DataverseSimulator.Model;
using ReportingSync.DataverseSimulator.OData.Filtering;
using ReportingSync.DataverseSimulator.Store;

namespace ReportingSync.DataverseSimulator.OData;

internal sealed partial class EntitySetEndpoint
{
    /// <summary>
    /// An ordinary query. Rows come in primary-id order (SQL Server uniqueidentifier order) unless <c>$orderby</c>
    /// says otherwise; paging is by cookie (last id, plus the last row's sort values for ordered queries); <c>$top</c>
    /// returns one page of at most that many rows and no nextLink.
    /// </summary>
    private async Task QueryAsync(HttpContext http, TableData table, QueryOptions query, Preferences preferences, PagingCookie? cookie, CancellationToken cancellationToken)
    {
        if (query.Expand is not null)
        {
            throw ErrorCodes.BadRequest("The simulator does not support $expand on entity sets.");
        }

        var definition = table.Schema.Definition;
        var projection = Projection.For(definition, query.Select);
        var filter = BindFilter(definition, query.Filter);
        var orderBy = BindOrderBy(definition, query.OrderBy);
        var pageSize = query.Top is { } top ? Math.Min(top, service.Options.MaxPageSize) : PageSize(preferences);
        var view = Store.View(table);
        var range = KeyRangeOf(filter, definition);

        List<RowRef> page;
        if (orderBy.Count == 0)
        {
            var start = cookie?.LastKey is { } last ? range.Intersect(KeyRange.After(last)) : range;
            page = view.Rows(start).Where(r => Matches(view, r, filter)).Take(pageSize + 1).ToList();
        }
        else
        {
            page = OrderedPage(view, range, filter, orderBy, cookie, pageSize);
        }

        var more = query.Top is null && page.Count > pageSize;
        if (page.Count > pageSize)
        {
            page.RemoveRange(pageSize, page.Count - pageSize);
        }

        int? count = query.Count
            ? view.Rows(range).Where(r => Matches(view, r, filter)).Take(CountLimit + 1).Count()
            : null;

        ApplyPreferences(http, preferences, trackChanges: false, pageSize: preferences.MaxPageSize is null ? null : pageSize);
        await using var writer = JsonResponse.Start(http.Response);
        writer.WriteStartObject();
        writer.WriteString("@odata.context", service.MetadataContext(SetFragment(definition, projection)));
        if (count is { } total)
        {
            writer.WriteNumber("@odata.count", Math.Min(total, CountLimit));
            if (preferences.Annotations.Includes(AnnotationFilter.TotalRecordCount))
            {
                writer.WriteNumber("@" + AnnotationFilter.TotalRecordCount, Math.Min(total, CountLimit));
            }

            if (preferences.Annotations.Includes(AnnotationFilter.TotalRecordCountLimitExceeded))
            {
                writer.WriteBoolean("@" + AnnotationFilter.TotalRecordCountLimitExceeded, total > CountLimit);
            }
        }

        await WriteRowsAsync(writer, http, view, page, projection, preferences, cancellationToken);
        if (more)
        {
            var last = page[^1];
            var next = new PagingCookie
            {
                PageNumber = (cookie?.PageNumber ?? 1) + 1,
                IsTracking = false,
                KeyAttribute = definition.PrimaryIdAttribute,
                LastKey = last.Key,
                FirstKey = page[0].Key,
                LastValues = orderBy.Select(o => new KeyValuePair<string, string?>(
                    o.Attribute.LogicalName, SortKeyCodec.Format(Store.GetValue(view.Table, view.Schema, last, o.Attribute)))).ToList(),
            };
            writer.WriteString("@odata.nextLink", QueryLink(definition, projection, query) + "$skiptoken=" + next.Encode());
        }

        writer.WriteEndObject();
        await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
        SetRows(http, page.Count);
    }

    private List<RowRef> OrderedPage(TableView view, KeyRange range, FilterNode? filter, IReadOnlyList<BoundOrder> orderBy, PagingCookie? cookie, int pageSize)
    {
        var rows = view.Rows(range)
            .Where(r => Matches(view, r, filter))
            .Select(r => (Row: r, Keys: orderBy.Select(o => Store.GetValue(view.Table, view.Schema, r, o.Attribute)).ToArray()))
            .ToList();
        int Compare(object?[] a, UInt128 aKey, object?[] b, UInt128 bKey)
        {
            for (var i = 0; i < orderBy.Count; i++)
            {
                var order = ValueComparison.CompareForSort(a[i], b[i]);
                if (order != 0)
                {
                    return orderBy[i].Descending ? -order : order;
                }
            }

            return aKey.CompareTo(bKey);
        }

        rows.Sort((x, y) => Compare(x.Keys, x.Row.Key, y.Keys, y.Row.Key));
        var start = 0;
        if (cookie?.LastKey is { } lastKey)
        {
            var lastValues = orderBy.Select(o => SortKeyCodec.Parse(
                cookie.LastValues.FirstOrDefault(v => v.Key == o.Attribute.LogicalName).Value, o.Attribute)).ToArray();
            while (start < rows.Count && Compare(rows[start].Keys, rows[start].Row.Key, lastValues, lastKey) <= 0)
            {
                start++;
            }
        }

        return rows.Skip(start).Take(pageSize + 1).Select(r => r.Row).ToList();
    }

    private bool Matches(TableView view, RowRef row, FilterNode? filter)
    {
        if (filter is null)
        {
            return true;
        }

        var definition = view.Schema.Definition;
        return FilterEvaluator.Evaluate(filter, name =>
            definition.FindColumn(name) is { } attribute ? Store.GetValue(view.Table, view.Schema, row, attribute) : null);
    }

    private static FilterNode? BindFilter(EntityDefinition definition, string? filter)
    {
        if (filter is null)
        {
            return null;
        }

        return FilterBinder.Bind(
            FilterParser.Parse(filter),
            name => definition.FindColumn(name) is { } a ? FilterTypeOf(a) : null,
            name => ErrorCodes.PropertyNotFound(name, definition.LogicalName));
    }

    private static FilterValueType FilterTypeOf(AttributeDefinition attribute) => attribute.Type switch
    {
        AttributeType.String or AttributeType.Memo or AttributeType.EntityName => FilterValueType.String,
        AttributeType.Virtual => FilterValueType.String,
        AttributeType.Boolean => FilterValueType.Boolean,
        AttributeType.Uniqueidentifier or AttributeType.Lookup or AttributeType.Customer or AttributeType.Owner => FilterValueType.Guid,
        AttributeType.DateTime => attribute.Behavior == DateTimeBehavior.DateOnly ? FilterValueType.Date : FilterValueType.DateTime,
        _ => FilterValueType.Number,
    };

    private static IReadOnlyList<BoundOrder> BindOrderBy(EntityDefinition definition, IReadOnlyList<OrderByItem>? orderBy)
    {
        if (orderBy is null)
        {
            return [];
        }

        var bound = orderBy
            .Select(o => new BoundOrder(definition.FindColumn(o.Property) ?? throw ErrorCodes.PropertyNotFound(o.Property, definition.LogicalName), o.Descending))
            .ToList();

        // Ordering by the primary id ascending is the natural order: page by key alone.
        return bound is [{ Attribute.IsPrimaryId: true, Descending: false }] ? [] : bound;
    }

    /// <summary>Narrows the scan to the id range an and-chain of primary-id comparisons allows.</summary>
    private static KeyRange KeyRangeOf(FilterNode? filter, EntityDefinition definition)
    {
        var range = KeyRange.All;
        foreach (var comparison in AndChain(filter))
        {
            if (comparison.Property != definition.PrimaryIdAttribute || comparison.Value is not Guid id)
            {
                continue;
            }

            var key = SqlGuidOrder.ToKey(id);
            range = comparison.Operator switch
            {
                ComparisonOperator.Equal => range.Intersect(new KeyRange(key, true, key, true)),
                ComparisonOperator.GreaterThan => range.Intersect(new KeyRange(key, false, null, false)),
                ComparisonOperator.GreaterThanOrEqual => range.Intersect(new KeyRange(key, true, null, false)),
                ComparisonOperator.LessThan => range.Intersect(new KeyRange(null, false, key, false)),
                ComparisonOperator.LessThanOrEqual => range.Intersect(new KeyRange(null, false, key, true)),
                _ => range,
            };
        }

        return range;
    }

    private static IEnumerable<ComparisonNode> AndChain(FilterNode? node) => node switch
    {
        ComparisonNode c => [c],
        LogicalNode { IsAnd: true } and => AndChain(and.Left).Concat(AndChain(and.Right)),
        _ => [],
    };

    private string QueryLink(EntityDefinition definition, Projection projection, QueryOptions query)
    {
        var link = new System.Text.StringBuilder(service.ApiRoot).Append(definition.EntitySetName).Append('?');
        if (projection.SelectText is { } select)
        {
            link.Append("$select=").Append(select).Append('&');
        }

        if (query.Filter is { } filter)
        {
            link.Append("$filter=").Append(PercentEncoding.EncodeQueryValue(filter)).Append('&');
        }

        if (query.OrderByText is { } orderBy)
        {
            link.Append("$orderby=").Append(PercentEncoding.EncodeQueryValue(orderBy)).Append('&');
        }

        if (query.Count)
        {
            link.Append("$count=true&");
        }

        return link.ToString();
    }

    private async Task WriteRowsAsync(
        System.Text.Json.Utf8JsonWriter writer,
        HttpContext http,
        TableView view,
        IReadOnlyList<RowRef> rows,
        Projection projection,
        Preferences preferences,
        CancellationToken cancellationToken)
    {
        var layout = RowLayout.For(projection, view.Schema, preferences.Annotations);
        var delay = (service.Options.CellLatency * layout.Columns.Length + service.Options.RowLatency) * rows.Count;
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, service.Time, cancellationToken);
        }

        writer.WriteStartArray("value");
        for (var i = 0; i < rows.Count; i++)
        {
            RowJsonWriter.Write(writer, Store, view, rows[i], layout);
            if (i % JsonResponse.FlushEvery == JsonResponse.FlushEvery - 1)
            {
                await JsonResponse.FlushAsync(writer, http.Response, cancellationToken);
            }
        }

        writer.WriteEndArray();
    }

    private sealed record BoundOrder(AttributeDefinition Attribute, bool Descending);
}
