namespace ReportingSync.DataverseSimulator.Generation;

/// <summary>What kind of realistic value a column gets, chosen from its type and name.</summary>
internal enum ValueKind
{
    None,
    CreatedOn,
    ModifiedOn,
    StateCode,
    StatusCode,
    FirstName,
    MiddleName,
    LastName,
    FullName,

    /// <summary>A yomi (phonetic) given or middle name; null unless the row's person has yomi names.</summary>
    YomiFirstName,

    /// <summary>A yomi family name; null unless the row's person has yomi names.</summary>
    YomiLastName,

    /// <summary>The yomi full name, composed of the row's yomi given and family names as Dataverse composes it.</summary>
    YomiFullName,
    OrganisationName,
    RecordName,
    Email,
    Phone,
    Street,
    City,
    County,
    Country,
    PostCode,
    Url,
    Trn,
    NiNumber,
    Code,
    Text,
    Memo,
    Integer,
    BigInt,
    Decimal,
    Double,
    Boolean,
    DateOnly,
    BirthDate,
    DateTime,
    Choice,
    MultiChoice,
    Guid,
    Lookup,
}
