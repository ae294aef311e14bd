using ReportingSync.Model;
using ReportingSync.Sql;
using ReportingSync.Sql.PostgreSql;
using ReportingSync.Sql.Sqlite;
using ReportingSync.Sql.SqlServer;

namespace ReportingSync.Tests.Sql;

/// <summary>
/// Golden DDL for one small layout per dialect: any change to generated DDL shows up here in review, where a DBA
/// would also see it.
/// </summary>
public sealed class DdlTests
{
    private static readonly EntitySchema ContactSchema = new()
    {
        LogicalName = "contact",
        EntitySetName = "contacts",
        PrimaryIdAttribute = "contactid",
        Attributes =
        [
            new AttributeSchema { LogicalName = "contactid", Kind = AttributeKind.Uniqueidentifier },
            new AttributeSchema { LogicalName = "fullname", Kind = AttributeKind.String, MaxLength = 160 },
            new AttributeSchema { LogicalName = "description", Kind = AttributeKind.Memo },
            new AttributeSchema { LogicalName = "parentcustomerid", Kind = AttributeKind.Customer },
            new AttributeSchema { LogicalName = "creditlimit", Kind = AttributeKind.Money, Precision = 2 },
            new AttributeSchema { LogicalName = "address1_latitude", Kind = AttributeKind.Double },
            new AttributeSchema { LogicalName = "donotemail", Kind = AttributeKind.Boolean },
            new AttributeSchema { LogicalName = "numberofchildren", Kind = AttributeKind.Integer },
            new AttributeSchema { LogicalName = "birthdate", Kind = AttributeKind.DateTime, DateTimeBehavior = DateTimeBehavior.DateOnly },
            new AttributeSchema { LogicalName = "modifiedon", Kind = AttributeKind.DateTime },
            new AttributeSchema { LogicalName = "versionnumber", Kind = AttributeKind.BigInt },
        ],
    };

    private static readonly TableLayout Contact = TableLayout.Create(ContactSchema, options: new LayoutOptions { SoftDeletes = true });

    private static readonly PostgreSqlDialect PostgreSql = new("public", "reportingsync", "", null);
    private static readonly SqliteDialect Sqlite = new("reportingsync", "");
    private static readonly SqlServerDialect SqlServer = new("dbo", "reportingsync", "", null);

    [Fact]
    public void PostgreSql_entity_table()
    {
        new DdlSql(PostgreSql).CreateTable(Contact).Should().Be(
            """
            CREATE TABLE IF NOT EXISTS "public"."contact" (
                "Id" uuid NOT NULL,
                "fullname" varchar(160) NULL,
                "description" text NULL,
                "parentcustomerid" uuid NULL,
                "parentcustomerid_entitytype" varchar(128) NULL,
                "creditlimit" numeric(38,4) NULL,
                "address1_latitude" double precision NULL,
                "donotemail" boolean NULL,
                "numberofchildren" integer NULL,
                "birthdate" date NULL,
                "modifiedon" timestamp NULL,
                "versionnumber" bigint NULL,
                "SinkCreatedOn" timestamp NOT NULL,
                "SinkModifiedOn" timestamp NOT NULL,
                "IsDeleted" boolean NOT NULL DEFAULT false,
                PRIMARY KEY ("Id")
            );
            """);
    }

    [Fact]
    public void PostgreSql_state_tables()
    {
        var statements = new DdlSql(PostgreSql).CreateStateTables();

        statements[0].Should().StartWith(
            """
            CREATE TABLE IF NOT EXISTS "reportingsync"."EntityState" (
                "EntityName" varchar(128) NOT NULL,
                "Status" varchar(16) NOT NULL,
                "CursorKind" varchar(16) NULL,
                "CursorUrl" text NULL,
            """).And.EndWith(
            """
                "UpdatedUtc" timestamp NOT NULL,
                "LastLagSeconds" double precision NULL,
                "ShadowCursorKind" varchar(16) NULL,
                "ShadowCursorUrl" text NULL,
                "ShadowLayoutFingerprint" varchar(64) NULL,
                "ReseedReason" varchar(32) NULL,
                "ReseedStartedUtc" timestamp NULL,
                "Revision" bigint NULL,
                "ParallelSeed" boolean NULL,
                "ParallelSeedToken" text NULL,
                "ParallelSeedKeysNext" text NULL,
                "ParallelSeedFrontier" uuid NULL,
                "OrganizationId" uuid NULL,
                "ReseedBlockedUtc" timestamp NULL,
                "ReseedBlockedBy" text NULL,
                PRIMARY KEY ("EntityName")
            );
            """);
        statements.Should().Contain(
            """
            CREATE TABLE IF NOT EXISTS "reportingsync"."Quarantine" (
                "EntityName" varchar(128) NOT NULL,
                "RecordId" uuid NOT NULL,
                "VersionNumber" bigint NOT NULL,
                "ColumnName" varchar(128) NOT NULL,
                "Reason" text NOT NULL,
                "AtUtc" timestamp NOT NULL,
                PRIMARY KEY ("EntityName", "RecordId")
            );
            """);
        statements.Should().Contain(
            """
            CREATE TABLE IF NOT EXISTS "public"."DeleteLog" (
                "Id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
                "EntityName" varchar(64) NOT NULL,
                "RecordId" varchar(64) NOT NULL,
                "SinkDeleteTime" timestamp NOT NULL,
                "VersionNumber" bigint NULL,
                PRIMARY KEY ("Id")
            );
            """);
        statements.Should().Contain("""CREATE UNIQUE INDEX IF NOT EXISTS "UX_AttributeMetadata_EntityName_AttributeName" ON "public"."AttributeMetadata" ("EntityName", "AttributeName");""");
        PostgreSql.UpgradeScript(StateTables.EntityStateTable, StateTables.EntityStateAddedColumns.Take(6).ToList()).Single().Should().Be(
            "ALTER TABLE \"reportingsync\".\"EntityState\" ADD COLUMN IF NOT EXISTS \"LastLagSeconds\" double precision NULL, " +
            "ADD COLUMN IF NOT EXISTS \"ShadowCursorKind\" varchar(16) NULL, ADD COLUMN IF NOT EXISTS \"ShadowCursorUrl\" text NULL, " +
            "ADD COLUMN IF NOT EXISTS \"ShadowLayoutFingerprint\" varchar(64) NULL, ADD COLUMN IF NOT EXISTS \"ReseedReason\" varchar(32) NULL, " +
            "ADD COLUMN IF NOT EXISTS \"ReseedStartedUtc\" timestamp NULL;");
        statements.Should().Contain(
            """
            CREATE TABLE IF NOT EXISTS "reportingsync"."SchemaChange" (
                "Id" bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,
                "EntityName" varchar(128) NOT NULL,
                "ChangedUtc" timestamp NOT NULL,
                "ColumnName" varchar(128) NOT NULL,
                "Change" varchar(256) NOT NULL,
                "Action" varchar(32) NOT NULL,
                "Detail" text NULL,
                PRIMARY KEY ("Id")
            );
            """);
        statements.Should().Contain("""CREATE INDEX IF NOT EXISTS "IX_SchemaChange_EntityName_ChangedUtc" ON "reportingsync"."SchemaChange" ("EntityName", "ChangedUtc");""");
        statements.Count(st => st.StartsWith("CREATE TABLE", StringComparison.Ordinal)).Should().Be(16, "10 state tables (with SeedRange, SchemaChange, WorkerStatus and the two reconciliation tables) and 6 metadata tables");
    }

    [Fact]
    public void PostgreSql_upsert_from_stage()
    {
        new EntitySql(PostgreSql).Upsert(Contact, "\"public\".\"contact\"", "\"reportingsync_stage\"").Should().Be(
            """
            INSERT INTO "public"."contact" AS t ("Id", "fullname", "description", "parentcustomerid", "parentcustomerid_entitytype", "creditlimit", "address1_latitude", "donotemail", "numberofchildren", "birthdate", "modifiedon", "versionnumber", "SinkCreatedOn", "SinkModifiedOn", "IsDeleted")
            SELECT s."Id", s."fullname", s."description", s."parentcustomerid", s."parentcustomerid_entitytype", s."creditlimit", s."address1_latitude", s."donotemail", s."numberofchildren", s."birthdate", s."modifiedon", s."versionnumber", @now, @now, false FROM "reportingsync_stage" AS s WHERE true
            ON CONFLICT ("Id") DO UPDATE SET "fullname" = excluded."fullname", "description" = excluded."description", "parentcustomerid" = excluded."parentcustomerid", "parentcustomerid_entitytype" = excluded."parentcustomerid_entitytype", "creditlimit" = excluded."creditlimit", "address1_latitude" = excluded."address1_latitude", "donotemail" = excluded."donotemail", "numberofchildren" = excluded."numberofchildren", "birthdate" = excluded."birthdate", "modifiedon" = excluded."modifiedon", "versionnumber" = excluded."versionnumber", "SinkModifiedOn" = @now, "IsDeleted" = false
            WHERE t."versionnumber" IS NULL OR excluded."versionnumber" >= t."versionnumber";
            """);
    }

    [Fact]
    public void Sqlite_entity_table()
    {
        new DdlSql(Sqlite).CreateTable(Contact).Should().Be(
            """
            CREATE TABLE IF NOT EXISTS "contact" (
                "Id" UUID TEXT NOT NULL,
                "fullname" TEXT NULL,
                "description" TEXT NULL,
                "parentcustomerid" UUID TEXT NULL,
                "parentcustomerid_entitytype" TEXT NULL,
                "creditlimit" DECIMAL TEXT(38,4) NULL,
                "address1_latitude" REAL NULL,
                "donotemail" BOOLEAN NULL,
                "numberofchildren" INT NULL,
                "birthdate" DATE TEXT NULL,
                "modifiedon" DATETIME TEXT NULL,
                "versionnumber" BIGINT NULL,
                "SinkCreatedOn" DATETIME TEXT NOT NULL,
                "SinkModifiedOn" DATETIME TEXT NOT NULL,
                "IsDeleted" BOOLEAN NOT NULL DEFAULT 0,
                PRIMARY KEY ("Id")
            );
            """);
    }

    [Fact]
    public void Sqlite_state_tables()
    {
        var statements = new DdlSql(Sqlite).CreateStateTables();

        statements[0].Should().StartWith("CREATE TABLE IF NOT EXISTS \"reportingsync_EntityState\" (\n    \"EntityName\" TEXT NOT NULL,\n    \"Status\" TEXT NOT NULL,")
            .And.EndWith("    \"ParallelSeedFrontier\" UUID TEXT NULL,\n    \"OrganizationId\" UUID TEXT NULL,\n    \"ReseedBlockedUtc\" DATETIME TEXT NULL,\n    \"ReseedBlockedBy\" TEXT NULL,\n    PRIMARY KEY (\"EntityName\")\n);");
        statements.Should().Contain(
            """
            CREATE TABLE IF NOT EXISTS "reportingsync_SyncHistory" (
                "Id" INTEGER PRIMARY KEY AUTOINCREMENT,
                "EntityName" TEXT NOT NULL,
                "AtUtc" DATETIME TEXT NOT NULL,
                "Event" TEXT NOT NULL,
                "Detail" TEXT NULL
            );
            """);
        statements.Should().Contain("""CREATE INDEX IF NOT EXISTS "IX_reportingsync_SyncHistory_EntityName_AtUtc" ON "reportingsync_SyncHistory" ("EntityName", "AtUtc");""");
        statements.Should().Contain(
            """
            CREATE TABLE IF NOT EXISTS "reportingsync_SchemaChange" (
                "Id" INTEGER PRIMARY KEY AUTOINCREMENT,
                "EntityName" TEXT NOT NULL,
                "ChangedUtc" DATETIME TEXT NOT NULL,
                "ColumnName" TEXT NOT NULL,
                "Change" TEXT NOT NULL,
                "Action" TEXT NOT NULL,
                "Detail" TEXT NULL
            );
            """);
        statements.Should().Contain("""CREATE INDEX IF NOT EXISTS "IX_reportingsync_SchemaChange_EntityName_ChangedUtc" ON "reportingsync_SchemaChange" ("EntityName", "ChangedUtc");""");
        statements.Should().Contain(
            """
            CREATE TABLE IF NOT EXISTS "DeleteLog" (
                "Id" INTEGER PRIMARY KEY AUTOINCREMENT,
                "EntityName" TEXT NOT NULL,
                "RecordId" TEXT NOT NULL,
                "SinkDeleteTime" DATETIME TEXT NOT NULL,
                "VersionNumber" BIGINT NULL
            );
            """);
        statements.Should().Contain(
            """
            CREATE TABLE IF NOT EXISTS "GlobalOptionSetMetadata" (
                "OptionSetName" TEXT NOT NULL,
                "Option" INT NOT NULL,
                "IsUserLocalizedLabel" BOOLEAN NOT NULL,
                "LocalizedLabelLanguageCode" INT NOT NULL,
                "LocalizedLabel" TEXT NULL,
                "GlobalOptionSetName" TEXT NOT NULL,
                PRIMARY KEY ("OptionSetName", "GlobalOptionSetName", "Option", "LocalizedLabelLanguageCode")
            );
            """);
        StateTables.EntityStateAddedColumns.Take(2).Select(c => Sqlite.AddColumn(Sqlite.Owned(StateTables.EntityStateTable), Sqlite.Quote(c.Name), Sqlite.TypeName(c.Type, c.MaxLength, null)))
            .Should().Equal(
                """ALTER TABLE "reportingsync_EntityState" ADD COLUMN "LastLagSeconds" REAL NULL;""",
                """ALTER TABLE "reportingsync_EntityState" ADD COLUMN "ShadowCursorKind" TEXT NULL;""");
    }

    [Fact]
    public void Sqlite_guarded_upsert()
    {
        new EntitySql(Sqlite).Upsert(Contact, "\"contact\"", null).Should().Be(
            """
            INSERT INTO "contact" AS t ("Id", "fullname", "description", "parentcustomerid", "parentcustomerid_entitytype", "creditlimit", "address1_latitude", "donotemail", "numberofchildren", "birthdate", "modifiedon", "versionnumber", "SinkCreatedOn", "SinkModifiedOn", "IsDeleted")
            VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11, @now, @now, 0)
            ON CONFLICT ("Id") DO UPDATE SET "fullname" = excluded."fullname", "description" = excluded."description", "parentcustomerid" = excluded."parentcustomerid", "parentcustomerid_entitytype" = excluded."parentcustomerid_entitytype", "creditlimit" = excluded."creditlimit", "address1_latitude" = excluded."address1_latitude", "donotemail" = excluded."donotemail", "numberofchildren" = excluded."numberofchildren", "birthdate" = excluded."birthdate", "modifiedon" = excluded."modifiedon", "versionnumber" = excluded."versionnumber", "SinkModifiedOn" = @now, "IsDeleted" = 0
            WHERE t."versionnumber" IS NULL OR excluded."versionnumber" >= t."versionnumber";
            """);
    }

    [Fact]
    public void SqlServer_entity_table()
    {
        new DdlSql(SqlServer).CreateTable(Contact).Should().Be(
            """
            IF OBJECT_ID(N'[dbo].[contact]', N'U') IS NULL
            CREATE TABLE [dbo].[contact] (
                [Id] uniqueidentifier NOT NULL,
                [fullname] nvarchar(160) NULL,
                [description] nvarchar(max) NULL,
                [parentcustomerid] uniqueidentifier NULL,
                [parentcustomerid_entitytype] nvarchar(128) NULL,
                [creditlimit] decimal(38,4) NULL,
                [address1_latitude] float NULL,
                [donotemail] bit NULL,
                [numberofchildren] int NULL,
                [birthdate] date NULL,
                [modifiedon] datetime2 NULL,
                [versionnumber] bigint NULL,
                [SinkCreatedOn] datetime2 NOT NULL,
                [SinkModifiedOn] datetime2 NOT NULL,
                [IsDeleted] bit NOT NULL DEFAULT 0,
                CONSTRAINT [PK_contact] PRIMARY KEY CLUSTERED ([Id])
            );
            """);
    }

    [Fact]
    public void SqlServer_entity_table_in_Data_Export_Service_shape()
    {
        var des = TableLayout.Create(ContactSchema, options: new LayoutOptions { Compatibility = SchemaCompatibility.Des });

        new DdlSql(SqlServer).CreateTable(des).Should().Be(
            """
            IF OBJECT_ID(N'[dbo].[contact]', N'U') IS NULL
            CREATE TABLE [dbo].[contact] (
                [Id] uniqueidentifier NOT NULL,
                [fullname] nvarchar(160) NULL,
                [description] nvarchar(max) NULL,
                [parentcustomerid] uniqueidentifier NULL,
                [parentcustomerid_entitytype] nvarchar(128) NULL,
                [creditlimit] decimal(38,2) NULL,
                [address1_latitude] decimal(38,5) NULL,
                [donotemail] bit NULL,
                [numberofchildren] int NULL,
                [birthdate] datetime NULL,
                [modifiedon] datetime NULL,
                [versionnumber] bigint NULL,
                [SinkCreatedOn] datetime NOT NULL,
                [SinkModifiedOn] datetime NOT NULL,
                CONSTRAINT [PK_contact] PRIMARY KEY CLUSTERED ([Id])
            );
            """);
    }

    [Fact]
    public void SqlServer_guarded_merge()
    {
        new EntitySql(SqlServer).Upsert(Contact, "[dbo].[contact]", "[#reportingsync_stage]").Should().Be(
            """
            MERGE INTO [dbo].[contact] WITH (HOLDLOCK) AS t
            USING [#reportingsync_stage] AS s ON t.[Id] = s.[Id]
            WHEN MATCHED AND (t.[versionnumber] IS NULL OR s.[versionnumber] >= t.[versionnumber]) THEN
                UPDATE SET [fullname] = s.[fullname], [description] = s.[description], [parentcustomerid] = s.[parentcustomerid], [parentcustomerid_entitytype] = s.[parentcustomerid_entitytype], [creditlimit] = s.[creditlimit], [address1_latitude] = s.[address1_latitude], [donotemail] = s.[donotemail], [numberofchildren] = s.[numberofchildren], [birthdate] = s.[birthdate], [modifiedon] = s.[modifiedon], [versionnumber] = s.[versionnumber], [SinkModifiedOn] = @now, [IsDeleted] = 0
            WHEN NOT MATCHED BY TARGET THEN
                INSERT ([Id], [fullname], [description], [parentcustomerid], [parentcustomerid_entitytype], [creditlimit], [address1_latitude], [donotemail], [numberofchildren], [birthdate], [modifiedon], [versionnumber], [SinkCreatedOn], [SinkModifiedOn], [IsDeleted])
                VALUES (s.[Id], s.[fullname], s.[description], s.[parentcustomerid], s.[parentcustomerid_entitytype], s.[creditlimit], s.[address1_latitude], s.[donotemail], s.[numberofchildren], s.[birthdate], s.[modifiedon], s.[versionnumber], @now, @now, 0);
            """);
    }

    [Fact]
    public void SqlServer_state_tables()
    {
        var statements = new DdlSql(SqlServer).CreateStateTables();

        SqlServer.CreateSchemaStatements().Should().Equal(
            "IF SCHEMA_ID(N'dbo') IS NULL EXEC(N'CREATE SCHEMA [dbo]');",
            "IF SCHEMA_ID(N'reportingsync') IS NULL EXEC(N'CREATE SCHEMA [reportingsync]');");
        statements.Should().Contain(
            """
            IF OBJECT_ID(N'[reportingsync].[Command]', N'U') IS NULL
            CREATE TABLE [reportingsync].[Command] (
                [Id] bigint IDENTITY(1,1) NOT NULL,
                [EntityName] nvarchar(128) NOT NULL,
                [Kind] nvarchar(32) NOT NULL,
                [RequestedUtc] datetime2 NOT NULL,
                [RequestedBy] nvarchar(256) NULL,
                [Status] nvarchar(16) NOT NULL,
                [PickedUpBy] nvarchar(256) NULL,
                [PickedUpUtc] datetime2 NULL,
                [CompletedUtc] datetime2 NULL,
                [Detail] nvarchar(max) NULL,
                CONSTRAINT [PK_Command] PRIMARY KEY CLUSTERED ([Id])
            );
            """);
        statements.Should().Contain(
            """
            IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_Command_Status_EntityName' AND object_id = OBJECT_ID(N'[reportingsync].[Command]'))
            CREATE INDEX [IX_Command_Status_EntityName] ON [reportingsync].[Command] ([Status], [EntityName]);
            """);
        statements.Should().Contain(
            """
            IF OBJECT_ID(N'[reportingsync].[SchemaChange]', N'U') IS NULL
            CREATE TABLE [reportingsync].[SchemaChange] (
                [Id] bigint IDENTITY(1,1) NOT NULL,
                [EntityName] nvarchar(128) NOT NULL,
                [ChangedUtc] datetime2 NOT NULL,
                [ColumnName] nvarchar(128) NOT NULL,
                [Change] nvarchar(256) NOT NULL,
                [Action] nvarchar(32) NOT NULL,
                [Detail] nvarchar(max) NULL,
                CONSTRAINT [PK_SchemaChange] PRIMARY KEY CLUSTERED ([Id])
            );
            """);
        statements.Should().Contain(
            """
            IF NOT EXISTS (SELECT 1 FROM sys.indexes WHERE name = N'IX_SchemaChange_EntityName_ChangedUtc' AND object_id = OBJECT_ID(N'[reportingsync].[SchemaChange]'))
            CREATE INDEX [IX_SchemaChange_EntityName_ChangedUtc] ON [reportingsync].[SchemaChange] ([EntityName], [ChangedUtc]);
            """);
        SqlServer.UpgradeScript(StateTables.EntityStateTable, StateTables.EntityStateAddedColumns).Single().Should().StartWith(
            "IF COL_LENGTH(N'[reportingsync].[EntityState]', N'LastLagSeconds') IS NULL ALTER TABLE [reportingsync].[EntityState] ADD [LastLagSeconds] float NULL;\n" +
            "IF COL_LENGTH(N'[reportingsync].[EntityState]', N'ShadowCursorKind') IS NULL ALTER TABLE [reportingsync].[EntityState] ADD [ShadowCursorKind] nvarchar(16) NULL;");
    }

    [Fact]
    public void SqlServer_schema_change_insert_is_parameterised()
    {
        // Every value is a parameter: entity, column and change text come from Dataverse metadata.
        new StateSql(SqlServer).AppendSchemaChange.Should().Be(
            "INSERT INTO [reportingsync].[SchemaChange] ([EntityName], [ChangedUtc], [ColumnName], [Change], [Action], [Detail]) " +
            "VALUES (@EntityName, @ChangedUtc, @ColumnName, @Change, @Action, @Detail);");
    }

    [Fact]
    public void Schema_change_values_follow_the_column_order()
    {
        var at = new DateTime(2024, 5, 1, 8, 0, 0, DateTimeKind.Utc);
        var entry = new ReportingSync.Target.SchemaChangeEntry("contact", at, "fullname", "MaxLength 100 → 400", ReportingSync.Target.DriftAction.Widen, "widen fullname");

        StateTables.ToValues(entry).Should().Equal("contact", at, "fullname", "MaxLength 100 → 400", "Widen", "widen fullname");
        StateTables.SchemaChangeColumns.Where(c => !c.Identity).Select(c => c.Name).Should().Equal("EntityName", "ChangedUtc", "ColumnName", "Change", "Action", "Detail");
    }

    [Fact]
    public void Hard_layouts_without_soft_deletes_have_no_IsDeleted_column()
    {
        var layout = TableLayout.Create(new EntitySchema
        {
            LogicalName = "team",
            EntitySetName = "teams",
            PrimaryIdAttribute = "teamid",
            Attributes =
            [
                new AttributeSchema { LogicalName = "teamid", Kind = AttributeKind.Uniqueidentifier },
                new AttributeSchema { LogicalName = "versionnumber", Kind = AttributeKind.BigInt },
            ],
        });

        new DdlSql(new PostgreSqlDialect("reporting", "reportingsync", "", null)).CreateTable(layout).Should().Be(
            """
            CREATE TABLE IF NOT EXISTS "reporting"."team" (
                "Id" uuid NOT NULL,
                "versionnumber" bigint NULL,
                "SinkCreatedOn" timestamp NOT NULL,
                "SinkModifiedOn" timestamp NOT NULL,
                PRIMARY KEY ("Id")
            );
            """);
        new DdlSql(Sqlite).CreateTable(layout).Should().NotContain("IsDeleted");
    }
}
