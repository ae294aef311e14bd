using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.OData;

/// <summary>
/// The attributes a row response carries, in output order: the <c>$select</c> list as given (every data column
/// when there is none), then the primary id if it was not selected, as the real service appends it.
/// </summary>
internal sealed class Projection
{
    private Projection(IReadOnlyList<AttributeDefinition> attributes, IReadOnlyList<string>? selected)
    {
        Attributes = attributes;
        Selected = selected;
    }

    public IReadOnlyList<AttributeDefinition> Attributes { get; }

    /// <summary>The <c>$select</c> names as requested (for <c>@odata.context</c> and links), or null.</summary>
    public IReadOnlyList<string>? Selected { get; }

    public string? SelectText => Selected is null ? null : string.Join(',', Selected);

    public static Projection For(EntityDefinition entity, IReadOnlyList<string>? select)
    {
        if (select is null)
        {
            return new Projection(entity.Attributes.Where(a => a.IsDataColumn).ToList(), null);
        }

        var attributes = new List<AttributeDefinition>();
        foreach (var name in select)
        {
            var attribute = entity.FindColumn(name) ?? throw ErrorCodes.PropertyNotFound(name, entity.LogicalName);
            if (!attributes.Contains(attribute))
            {
                attributes.Add(attribute);
            }
        }

        if (!attributes.Any(a => a.IsPrimaryId) && entity.Find(entity.PrimaryIdAttribute) is { } id)
        {
            attributes.Add(id);
        }

        return new Projection(attributes, select);
    }
}
