using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ReportingSync.Engine;

namespace ReportingSync.Configuration;

/// <summary>
/// Binds <see cref="SyncOptions"/> from <c>ReportingSync</c>. Entities may be written as plain names or as objects,
/// mixed: <c>"Entities": ["contact", { "Name": "account", "Exclude": ["description"] }]</c>; environment variables
/// work the same way (<c>ReportingSync__Entities__0=contact</c> or <c>ReportingSync__Entities__1__Name=account</c>).
/// </summary>
internal sealed class SyncOptionsSetup(IConfiguration configuration) : IConfigureOptions<SyncOptions>
{
    public void Configure(SyncOptions options)
    {
        var section = configuration.GetSection(SyncOptions.SectionName);
        section.Bind(options, binder => binder.BindNonPublicProperties = false);

        options.Entities = section.GetSection("Entities").GetChildren()
            .OrderBy(child => int.TryParse(child.Key, out var index) ? index : int.MaxValue)
            .Select(ReadEntity)
            .ToList();
    }

    private static EntityOptions ReadEntity(IConfigurationSection child)
    {
        if (child.Value is not null)
        {
            return new EntityOptions { Name = child.Value.Trim() };
        }

        var entity = new EntityOptions();
        child.Bind(entity);
        entity.Name = entity.Name.Trim();
        return entity;
    }
}
