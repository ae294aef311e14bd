using ReportingSync.DataverseSimulator.Model;

namespace ReportingSync.DataverseSimulator.Generation;

/// <summary>
/// Generates cell values as a pure function of (seed, table, row index, attribute, variant): nothing is stored for
/// rows nobody changed. Variant 0 is a row's original value; the change generator asks for other variants to get
/// fresh, equally realistic values.
/// </summary>
internal sealed partial class ValueGenerator(int seed, ILookupTargetSource targets, MoneyPrecision? money = null)
{
    private readonly MoneyPrecision _money = money ?? MoneyPrecision.Default;

    private const int PseudoPoolSize = 5;

    private static readonly DateTime CreatedFrom = new(2005, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime CreatedTo = new(2024, 12, 31, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime ModifiedCap = new(2025, 6, 30, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime AnyFrom = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime AnyTo = new(2029, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    private static readonly ulong StateSalt = StableHash.Of("statecode");
    private static readonly ulong FirstNameSalt = StableHash.Of("firstname");
    private static readonly ulong LastNameSalt = StableHash.Of("lastname");
    private static readonly ulong CreatedOnSalt = StableHash.Of("createdon");

    // Booleans are a fifth of all non-null cells of a wide row: box them once.
    private static readonly object BoxedTrue = true;
    private static readonly object BoxedFalse = false;

    private readonly ulong _seedHash = StableHash.Mix((ulong)seed);

    public int Seed { get; } = seed;

    public object? Generate(EntityDefinition entity, ColumnGenerator column, int index, int variant = 0)
    {
        if (column.Kind == ValueKind.None)
        {
            return null;
        }

        var random = Stream(column.EntitySalt, column.Salt, index, variant);
        if (random.NextUInt64() < column.NullThreshold)
        {
            return null;
        }

        var a = column.Definition;
        return column.Kind switch
        {
            ValueKind.CreatedOn => CreatedOn(column.EntitySalt, index, variant),
            ValueKind.ModifiedOn => ModifiedOn(column.EntitySalt, index, variant, ref random),
            ValueKind.StateCode => StateOf(column.EntitySalt, index, variant),
            ValueKind.StatusCode => Status(column, StateOf(column.EntitySalt, index, variant), ref random),
            ValueKind.Choice => a.OptionSet is { Options.Length: > 0 } set ? set.Options[random.Next(set.Options.Length)].Value : null,
            ValueKind.MultiChoice => MultiChoice(a, ref random),
            ValueKind.Lookup => Lookup(entity, a, ref random),
            ValueKind.Guid => RandomGuid(ref random),
            ValueKind.Integer => a.LogicalName == "currencyprecision" ? _money.CurrencyPrecision : Integer(a.LogicalName, ref random),
            ValueKind.BigInt => random.NextLong(1_000_000_000_000L),
            ValueKind.Decimal => Decimal(a, ref random),
            ValueKind.Double => Coordinate(a, ref random),
            ValueKind.Boolean => random.Chance(0.5) ? BoxedTrue : BoxedFalse,
            ValueKind.DateOnly => DateIn(a, new DateTime(1995, 1, 1), AnyTo, ref random),
            ValueKind.BirthDate => DateIn(a, new DateTime(1950, 1, 1), new DateTime(2003, 12, 31), ref random),
            ValueKind.DateTime => InstantIn(AnyFrom, AnyTo, ref random),
            ValueKind.YomiFirstName or ValueKind.YomiLastName or ValueKind.YomiFullName =>
                Yomi(column, index, variant, ref random) is { } yomi ? Fit(yomi, a.MaxLength) : null,
            _ => Fit(Text(entity, column, index, variant, ref random), a.MaxLength),
        };
    }

    private CellRandom Stream(ulong entity, ulong salt, int index, int variant)
    {
        var cell = StableHash.Combine(StableHash.Combine(_seedHash ^ entity, salt), (uint)index | ((ulong)(uint)variant << 40));
        return new CellRandom(cell);
    }

    private int StateOf(ulong entity, int index, int variant)
    {
        var random = Stream(entity, StateSalt, index, variant);
        random.NextUInt64();
        return random.Chance(0.15) ? 1 : 0;
    }

    private static int? Status(ColumnGenerator column, int state, ref CellRandom random)
    {
        var choices = column.StatusChoices(state);
        return choices.Length == 0 ? null : choices[random.Next(choices.Length)];
    }

    private DateTime CreatedOn(ulong entity, int index, int variant)
    {
        var random = Stream(entity, CreatedOnSalt, index, variant);
        random.NextUInt64();
        return InstantIn(CreatedFrom, CreatedTo, ref random);
    }

    private DateTime ModifiedOn(ulong entity, int index, int variant, ref CellRandom random)
    {
        var created = CreatedOn(entity, index, variant);
        var modified = created.AddSeconds(random.NextLong(400L * 24 * 3600));
        return modified > ModifiedCap ? ModifiedCap : modified;
    }

    private static string? MultiChoice(AttributeDefinition a, ref CellRandom random)
    {
        if (a.OptionSet is not { Options.Length: > 0 } set)
        {
            return null;
        }

        var count = Math.Min(set.Options.Length, 1 + random.Next(3));
        var chosen = new SortedSet<int>();
        while (chosen.Count < count)
        {
            chosen.Add(set.Options[random.Next(set.Options.Length)].Value);
        }

        return string.Join(',', chosen);
    }

    private LookupValue Lookup(EntityDefinition entity, AttributeDefinition a, ref CellRandom random)
    {
        var target = a.Type switch
        {
            AttributeType.Owner => random.Chance(0.9) ? "systemuser" : "team",
            AttributeType.Customer when entity.LogicalName == "contact" => random.Chance(0.8) ? "account" : "contact",
            AttributeType.Customer => random.Chance(0.5) ? "account" : "contact",
            _ => a.Targets.IsDefaultOrEmpty ? a.LogicalName : a.Targets[0],
        };
        var count = targets.GeneratedRowCount(target);
        if (count > 0)
        {
            return targets.GeneratedRow(target, random.Next(count));
        }

        var member = random.Next(PseudoPoolSize);
        return new LookupValue(PseudoRowId(target, member), target, Fit(PseudoRowName(target, member), NameLength(entity, a)));
    }

    /// <summary>
    /// Dataverse never returns a primary name longer than the target's name attribute, and the derived
    /// <c>&lt;lookup&gt;name</c> column carries that length; pseudo rows must respect it too.
    /// </summary>
    private static int? NameLength(EntityDefinition entity, AttributeDefinition lookup) =>
        entity.Find(lookup.LogicalName + "name") is { } name && name.AttributeOf == lookup.LogicalName ? name.MaxLength : null;

    /// <summary>Rows of tables the simulator does not serve (team, businessunit, …): a small fixed pool per table.</summary>
    public Guid PseudoRowId(string target, int member)
    {
        var random = new CellRandom(StableHash.Combine(_seedHash ^ StableHash.Of("pool:" + target), (ulong)member));
        return RandomGuid(ref random);
    }

    public static string PseudoRowName(string target, int member) => $"{Label(target)} {member + 1}";

    private static Guid RandomGuid(ref CellRandom random)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, random.NextUInt64());
        BitConverter.TryWriteBytes(bytes[8..], random.NextUInt64());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    private static int Integer(string name, ref CellRandom random) => name switch
    {
        _ when name.EndsWith("utcoffset", StringComparison.Ordinal) => 60 * random.Between(-12, 14),
        "utcconversiontimezonecode" => random.Pick(TimeZoneCodes),
        "timezoneruleversionnumber" => random.Between(0, 4),
        "importsequencenumber" => random.Between(1, 1000),
        _ when name.Contains("agerange", StringComparison.Ordinal) => random.Between(3, 19),
        _ => random.Next(10_000),
    };

    private static readonly int[] TimeZoneCodes = [85, 85, 85, 90, 95, 105, 110];

    /// <summary>
    /// Decimals with the attribute's Precision; money with the places its PrecisionSource allows (up to 4, e.g. 92.3865),
    /// stored and written with 4 places as Dataverse does.
    /// </summary>
    private decimal Decimal(AttributeDefinition a, ref CellRandom random)
    {
        var isMoney = a.Type == AttributeType.Money;
        var scale = isMoney ? _money.For(a) : Math.Clamp(a.Precision ?? 2, 0, 10);
        var unit = (ulong)Math.Pow(10, scale);
        ulong units = a.LogicalName == "exchangerate"
            ? (unit / 2) + (random.NextUInt64() % (unit * 3 / 2))
            : random.NextUInt64() % (1_000_000UL * unit);
        var value = new decimal((int)(uint)units, (int)(uint)(units >> 32), 0, false, (byte)scale);
        return isMoney ? Store.ValueNormalizer.WithScale(value, MoneyPrecision.StorageScale) : value;
    }

    private static double Coordinate(AttributeDefinition a, ref CellRandom random)
    {
        var (min, max) = a.LogicalName.EndsWith("latitude", StringComparison.Ordinal) ? (49.9, 58.7) : (-6.4, 1.8);
        return Math.Round(min + (random.NextDouble() * (max - min)), Math.Clamp(a.Precision ?? 5, 0, 15));
    }

    private static object DateIn(AttributeDefinition a, DateTime from, DateTime to, ref CellRandom random)
    {
        var day = from.AddDays(random.Next((int)(to - from).TotalDays + 1));
        return a.Behavior == DateTimeBehavior.DateOnly
            ? DateOnly.FromDateTime(day)
            : DateTime.SpecifyKind(day, DateTimeKind.Utc);
    }

    private static DateTime InstantIn(DateTime from, DateTime to, ref CellRandom random) =>
        DateTime.SpecifyKind(from.AddSeconds(random.NextLong((long)(to - from).TotalSeconds)), DateTimeKind.Utc);
}
