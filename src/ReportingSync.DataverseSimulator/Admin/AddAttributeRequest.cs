using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Admin;

/// <summary>Body of <c>POST /admin/schema/{entity}/attributes</c>: the attribute, and whether existing rows get values.</summary>
internal sealed record AddAttributeRequest(AttributeSpec Attribute, bool FillExistingRows);
