using ReportingSync.Model;

namespace ReportingSync.Sql;

/// <summary>
/// Checks every value of a page against what its column can hold before anything is written, so that one bad value
/// neither truncates silently nor fails the page: the row is set aside for the quarantine table (with the column and
/// the reason, never the value, which may be personal data) and the rest of the page commits.
/// A value of the wrong CLR type, or a row without an Id, is not a value the column cannot hold but a broken contract
/// with the source: that still fails the page with <see cref="RowRejectedException"/>.
/// </summary>
internal static class RowScreen
{
    /// <param name="problem">The dialect's limits: why a value of the column's CLR type cannot be stored exactly, or null.</param>
    public static ScreenedRows Screen(TableLayout layout, string table, IReadOnlyList<object?[]> rows, Func<TableColumn, object, string?> problem)
    {
        if (rows is SelectedRows selected)
        {
            return Screen(layout, table, selected, problem);
        }

        List<object?[]>? accepted = null;
        List<QuarantineEntry>? quarantined = null;
        var columns = layout.Columns;
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var id = PageRows.GetId(row, layout, table);
            string? reason = null;
            var column = "";
            for (var c = 0; c < columns.Count; c++)
            {
                var value = row[c];
                if (value is null)
                {
                    continue;
                }

                if (!ValueChecks.IsClrTypeOf(columns[c].Type, value))
                {
                    throw new RowRejectedException(table, columns[c].Name, id, ValueChecks.WrongType(value, columns[c].Type));
                }

                if (reason is null && problem(columns[c], value) is { } found)
                {
                    (reason, column) = (found, columns[c].Name);
                }
            }

            if (reason is null)
            {
                accepted?.Add(row);
                continue;
            }

            // First quarantined row: switch from "the page as it is" to a filtered copy.
            accepted ??= new List<object?[]>(rows.Take(r));
            (quarantined ??= []).Add(new QuarantineEntry(id, row[layout.VersionOrdinal] is long v ? v : 0, column, reason));
        }

        return new ScreenedRows(accepted ?? rows, quarantined ?? []);
    }

    /// <summary>
    /// The same over typed columns (the fast path): a value of the right CLR type by construction, so only the values
    /// some target might refuse (<see cref="MayNotFit"/>) are turned into objects and put to the dialect, and only the
    /// columns that can hold such values are looked at. One scan of the page's whole text buffer says whether any text
    /// holds a NUL (JSON only has one when escaped, so almost never); without one, text is checked for length only,
    /// and only where the column has a length.
    /// </summary>
    private static ScreenedRows Screen(TableLayout layout, string table, SelectedRows rows, Func<TableColumn, object, string?> problem)
    {
        var cells = rows.Columns;
        var columns = layout.Columns;
        var anyNul = cells.AllText.Contains((byte)0);
        var watched = Watched(columns, anyNul);
        List<int>? accepted = null;
        List<QuarantineEntry>? quarantined = null;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows.RowAt(i);
            var id = PageRows.GetId(cells, row, layout, table);
            string? reason = null;
            var column = "";
            foreach (var c in watched)
            {
                if (!cells.IsNull(row, c) && MayNotFit(columns[c], cells, row, c, anyNul) && problem(columns[c], cells.GetValue(row, c)!) is { } found)
                {
                    (reason, column) = (found, columns[c].Name);
                    break;
                }
            }

            if (reason is null)
            {
                accepted?.Add(row);
                continue;
            }

            accepted ??= [.. Enumerable.Range(0, i).Select(rows.RowAt)];
            var version = cells.IsNull(row, layout.VersionOrdinal) ? 0 : cells.GetInt64(row, layout.VersionOrdinal);
            (quarantined ??= []).Add(new QuarantineEntry(id, version, column, reason));
        }

        return new ScreenedRows(accepted is null ? rows : new SelectedRows(rows.Batch, [.. accepted]), quarantined ?? []);
    }

    /// <summary>The ordinals of the columns whose values <see cref="MayNotFit"/> can flag.</summary>
    private static int[] Watched(IReadOnlyList<TableColumn> columns, bool anyNul)
    {
        var watched = new List<int>(columns.Count);
        for (var c = 0; c < columns.Count; c++)
        {
            if (columns[c].Type switch
                {
                    ColumnStorageType.String => anyNul || columns[c].MaxLength is not null,
                    ColumnStorageType.Decimal or ColumnStorageType.Double or ColumnStorageType.DateTime => true,
                    _ => false,
                })
            {
                watched.Add(c);
            }
        }

        return [.. watched];
    }

    /// <summary>
    /// Whether any dialect could refuse the cell: text longer in bytes than the column's length (UTF-8 bytes are never
    /// fewer than code points or UTF-16 units) or holding a NUL; a decimal past numeric(38, p); a double that is NaN or
    /// infinite; a date-time outside SQL Server's datetime. Guids, integers, booleans and dates fit every target, and
    /// decoded text is valid UTF-8 (no lone surrogates). Every dialect's <c>Values.Problem</c> finds nothing outside
    /// these cases, so the others never need boxing.
    /// </summary>
    private static bool MayNotFit(TableColumn column, ColumnarRows cells, int row, int c, bool anyNul) => column.Type switch
    {
        ColumnStorageType.String => cells.GetUtf8(row, c) is var text
                                    && ((column.MaxLength is { } max && text.Length > max) || (anyNul && text.Contains((byte)0))),
        ColumnStorageType.Decimal => ValueChecks.ExceedsNumeric38(cells.GetDecimal(row, c), column.Precision ?? 2),
        ColumnStorageType.Double => !double.IsFinite(cells.GetDouble(row, c)),
        ColumnStorageType.DateTime => cells.GetDateTime(row, c) is var t && (t < DateTimeFloor || t > DateTimeCeiling),
        _ => false,
    };

    // SQL Server's datetime range (SqlServerValues), the narrowest any target has for date-times.
    private static readonly DateTime DateTimeFloor = new(1753, 1, 1);
    private static readonly DateTime DateTimeCeiling = new(9999, 12, 31, 23, 59, 59, 997);
}
