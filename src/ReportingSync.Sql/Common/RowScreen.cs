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
}
