using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace ReportingSync.Dataverse;

/// <summary>
/// A <see cref="RangeAttribute"/> whose failure also quotes the configured value (<c>…; it is 9000.</c>), so the
/// start-up error names both the key and what was written there. Only numbers and durations carry it: no secret.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class SettingRangeAttribute : RangeAttribute
{
    public SettingRangeAttribute(int minimum, int maximum)
        : base(minimum, maximum)
    {
    }

    public SettingRangeAttribute(Type type, string minimum, string maximum)
        : base(type, minimum, maximum)
    {
    }

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        base.IsValid(value, validationContext) is { } failure && failure != ValidationResult.Success
            ? new ValidationResult($"{failure.ErrorMessage?.TrimEnd('.')}; it is {Convert.ToString(value, CultureInfo.InvariantCulture)}.", failure.MemberNames)
            : ValidationResult.Success;
}
