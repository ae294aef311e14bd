using System.Text.Json;
using ReportingSync.Model;

namespace ReportingSync.Dataverse;

/// <summary>
/// Decodes the items of a page into layout rows (and, in deltas, deleted ids), property by property from the UTF-8
/// bytes: each property name is identified through the page's <see cref="PropertySequence"/> (a byte comparison with
/// the name expected next, a look-up on a miss), the value converted by the bound column's type and stored straight
/// into the batch's typed columns (<see cref="ColumnarRows"/>; no object per cell). Unknown properties and annotations
/// are skipped; missing ones stay null.
/// </summary>
internal struct RowReader(RowDecoderPlan plan, RowBatch rows, List<Guid> deletes) : IODataItemHandler
{
    private readonly PropertySequence _names = new(plan);
    private readonly ColumnarRows _columns = rows.Columns
        ?? throw new ArgumentException("Rows are decoded into a columnar batch.", nameof(rows));

    public readonly bool ReadItem(ref Utf8JsonReader reader)
    {
        var columns = _columns;
        var row = columns.StartRow();
        var isDeleted = false;
        Guid? deletedId = null;
        (TableColumn Column, string Problem)? failure = null;
        PropertyEntry? previous = null;

        var complete = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                complete = reader.TokenType == JsonTokenType.EndObject;
                break;
            }

            var property = _names.Identify(ref reader, previous);
            previous = property;
            if (!reader.Read())
            {
                break;
            }

            if (property.IsContext)
            {
                isDeleted = reader.TokenType == JsonTokenType.String && reader.GetString()!.EndsWith(ODataNames.DeletedEntitySuffix, StringComparison.Ordinal);
                continue;
            }

            if (property.IsDeletedId && reader.TokenType == JsonTokenType.String && reader.TryGetGuid(out var id))
            {
                deletedId = id;
            }

            if (property.Bindings is not { } bindings)
            {
                if (!reader.TrySkip())
                {
                    break;
                }

                continue;
            }

            foreach (var binding in bindings)
            {
                if (!ValueReader.TryRead(ref reader, binding.Column, columns, row, binding.Ordinal))
                {
                    // Finish the row first: its id may come later and makes the error actionable.
                    failure ??= (binding.Column, $"expected {ValueReader.Expected(binding.Column)}, got {JsonText.Excerpt(ref reader)}.");
                }
            }

            if (!reader.TrySkip())
            {
                break;
            }
        }

        if (!complete)
        {
            // The data ended inside the item: it is read again, whole, from a larger span.
            columns.AbandonRow();
            return false;
        }

        var layout = plan.Layout;
        if (isDeleted)
        {
            columns.AbandonRow();
            deletes.Add(deletedId ?? throw new RowDecodeException(layout.EntityName, null, ODataNames.DeletedId, "a deleted-entity entry has no readable id."));
            return true;
        }

        Guid? rowId = columns.IsNull(row, layout.IdOrdinal) ? null : columns.GetGuid(row, layout.IdOrdinal);
        if (failure is { } bad)
        {
            columns.AbandonRow();
            throw new RowDecodeException(layout.EntityName, rowId, bad.Column.Name, bad.Problem);
        }

        if (rowId is null)
        {
            columns.AbandonRow();
            throw new RowDecodeException(layout.EntityName, null, layout.PrimaryIdAttribute, "the row has no primary id.");
        }

        columns.EndRow();
        return true;
    }
}
