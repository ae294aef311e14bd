namespace ReportingSync.DataverseSimulator.Generation;

/// <summary>
/// Small fixed vocabularies for realistic values. Fixed (not Bogus' locale data) so that output never changes when
/// a package is upgraded. A few entries carry the characters clients get wrong: quotes, semicolons, brackets,
/// emoji, right-to-left scripts.
/// </summary>
internal static class WordLists
{
    public static readonly string[] FirstNames =
    [
        "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur", "Ivy", "Muhammad", "Freya", "Leo",
        "Lily", "Harry", "Florence", "Oscar", "Sophia", "Archie", "Grace", "Henry", "Willow", "Theodore", "Rosie",
        "Jack", "Evie", "Charlie", "Ella", "Thomas", "Poppy", "Jacob", "Siobhán", "Aoife", "Zoë", "Chloé", "José",
        "Priya", "Aarav", "Fatima", "Yusuf", "Anya", "Kwame", "Chidi", "Mei", "Hiroshi", "Olamide", "Eilidh",
        "Dafydd", "Niamh", "Rhys", "Seren",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson", "Wright",
        "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke", "Jackson", "Wood",
        "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes", "O'Brien", "O'Connor",
        "D'Souza", "Fitzgerald-Smythe", "Ní Bhriain", "MacDonald", "Nowak", "Kowalski", "Nguyen", "Okafor",
        "Ahmed", "Khan", "Begum", "Singh", "Kaur", "Müller", "García", "Rossi", "Jenkins", "Lloyd",
    ];

    /// <summary>Yomi (phonetic, katakana) given names: the few people who have yomi names at all.</summary>
    public static readonly string[] YomiFirstNames =
    [
        "アメリア", "オリバー", "アイラ", "ジョージ", "エヴァ", "ノア", "ミア", "アーサー", "ハナコ", "ヒロシ",
    ];

    /// <summary>Yomi (phonetic, katakana) family names.</summary>
    public static readonly string[] YomiLastNames =
    [
        "スミス", "ジョーンズ", "テイラー", "ブラウン", "ウィリアムズ", "タナカ", "スズキ", "サトウ", "ヤマダ", "オブライエン",
    ];

    public static readonly string[] Streets =
    [
        "High Street", "Station Road", "Main Street", "Park Road", "Church Road", "Church Street", "London Road",
        "Victoria Road", "Green Lane", "Manor Road", "Church Lane", "Park Avenue", "The Avenue", "The Crescent",
        "Queens Road", "New Road", "Grange Road", "Kings Road", "Mill Lane", "School Lane",
    ];

    public static readonly string[] Cities =
    [
        "London", "Birmingham", "Manchester", "Leeds", "Sheffield", "Bristol", "Liverpool", "Newcastle upon Tyne",
        "Nottingham", "Leicester", "Coventry", "Bradford", "Cardiff", "Swansea", "Belfast", "Edinburgh", "Glasgow",
        "Plymouth", "Southampton", "Norwich", "York", "Exeter", "Durham", "Stoke-on-Trent",
    ];

    public static readonly string[] Counties =
    [
        "Greater London", "West Midlands", "Greater Manchester", "West Yorkshire", "South Yorkshire", "Merseyside",
        "Kent", "Essex", "Hampshire", "Surrey", "Lancashire", "Devon", "Norfolk", "Suffolk", "Cornwall", "Durham",
    ];

    public static readonly string[] Countries =
    [
        "United Kingdom", "England", "Wales", "Scotland", "Northern Ireland", "Ireland", "France", "Spain",
        "Germany", "Poland", "India", "Nigeria", "Australia", "New Zealand", "Canada", "South Africa", "Jamaica",
    ];

    public static readonly string[] Organisations =
    [
        "Oakwood Primary School", "St Mary's Church of England Academy", "Riverside Community College",
        "Northfield High School", "The King's School", "University of Leeds", "University of Bristol",
        "Greenfield Academy Trust", "St Joseph's Catholic Primary", "Hillcrest Infant School", "Bishop Luffa School",
        "Manchester Metropolitan University", "Sheffield Hallam University", "Woodlands Nursery", "Brookside Academy",
        "Ysgol Gymraeg Aberystwyth", "Beacon Hill Teaching School Hub", "Ark Globe Academy",
    ];

    public static readonly string[] Words =
    [
        "record", "teacher", "training", "induction", "qualified", "status", "assessment", "review", "school",
        "academy", "subject", "mathematics", "english", "science", "history", "geography", "physical", "education",
        "primary", "secondary", "early", "years", "award", "certificate", "provider", "route", "programme", "period",
        "outcome", "pass", "extension", "appeal", "update", "request", "evidence", "document", "letter", "check",
        "employer", "local", "authority", "region", "term", "partial", "complete", "pending", "approved", "received",
    ];

    /// <summary>Strings that break naive CSV, SQL, JSON or bidi handling.</summary>
    public static readonly string[] Awkward =
    [
        "O'Brien said \"hello\"",
        "first; second; third",
        "bracket ] inside",
        "[Archived] ]]> end",
        "Teacher 🎓📚 award",
        "مدرسة الأمل",
        "שלום עולם",
        "tab\tand\\backslash",
        "line one\r\nline two",
        "100% <b>bold</b> & more",
        "emoji family 👩‍👩‍👧‍👦",
    ];
}
