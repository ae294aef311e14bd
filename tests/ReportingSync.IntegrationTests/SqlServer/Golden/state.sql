-- state compare-and-set
UPDATE [reportingsync].[EntityState] SET [Status] = @Status, [CursorKind] = @CursorKind, [CursorUrl] = @CursorUrl, [ResumeStatus] = @ResumeStatus, [LayoutFingerprint] = @LayoutFingerprint, [SeedRowsCopied] = @SeedRowsCopied, [SeedRowsEstimated] = @SeedRowsEstimated, [SeedStartedUtc] = @SeedStartedUtc, [SeedCompletedUtc] = @SeedCompletedUtc, [RowsUpserted] = @RowsUpserted, [RowsDeleted] = @RowsDeleted, [Pages] = @Pages, [LastSyncUtc] = @LastSyncUtc, [LastSourceChangeUtc] = @LastSourceChangeUtc, [LastError] = @LastError, [LastErrorUtc] = @LastErrorUtc, [ConsecutiveFailures] = @ConsecutiveFailures, [UpdatedUtc] = @UpdatedUtc, [LastLagSeconds] = @LastLagSeconds, [ShadowCursorKind] = @ShadowCursorKind, [ShadowCursorUrl] = @ShadowCursorUrl, [ShadowLayoutFingerprint] = @ShadowLayoutFingerprint, [ReseedReason] = @ReseedReason, [ReseedStartedUtc] = @ReseedStartedUtc, [Revision] = @Revision, [ParallelSeed] = @ParallelSeed, [ParallelSeedToken] = @ParallelSeedToken, [ParallelSeedKeysNext] = @ParallelSeedKeysNext, [ParallelSeedFrontier] = @ParallelSeedFrontier, [OrganizationId] = @OrganizationId, [ReseedBlockedUtc] = @ReseedBlockedUtc, [ReseedBlockedBy] = @ReseedBlockedBy WHERE [EntityName] = @EntityName AND COALESCE([Revision], 0) = @ExpectedRevision;

-- state compare-and-set, fenced by the lease
UPDATE [reportingsync].[EntityState] SET [Status] = @Status, [CursorKind] = @CursorKind, [CursorUrl] = @CursorUrl, [ResumeStatus] = @ResumeStatus, [LayoutFingerprint] = @LayoutFingerprint, [SeedRowsCopied] = @SeedRowsCopied, [SeedRowsEstimated] = @SeedRowsEstimated, [SeedStartedUtc] = @SeedStartedUtc, [SeedCompletedUtc] = @SeedCompletedUtc, [RowsUpserted] = @RowsUpserted, [RowsDeleted] = @RowsDeleted, [Pages] = @Pages, [LastSyncUtc] = @LastSyncUtc, [LastSourceChangeUtc] = @LastSourceChangeUtc, [LastError] = @LastError, [LastErrorUtc] = @LastErrorUtc, [ConsecutiveFailures] = @ConsecutiveFailures, [UpdatedUtc] = @UpdatedUtc, [LastLagSeconds] = @LastLagSeconds, [ShadowCursorKind] = @ShadowCursorKind, [ShadowCursorUrl] = @ShadowCursorUrl, [ShadowLayoutFingerprint] = @ShadowLayoutFingerprint, [ReseedReason] = @ReseedReason, [ReseedStartedUtc] = @ReseedStartedUtc, [Revision] = @Revision, [ParallelSeed] = @ParallelSeed, [ParallelSeedToken] = @ParallelSeedToken, [ParallelSeedKeysNext] = @ParallelSeedKeysNext, [ParallelSeedFrontier] = @ParallelSeedFrontier, [OrganizationId] = @OrganizationId, [ReseedBlockedUtc] = @ReseedBlockedUtc, [ReseedBlockedBy] = @ReseedBlockedBy, [LeaseExpiresUtc] = DATEADD(millisecond, @LeaseDuration, SYSUTCDATETIME()) WHERE [EntityName] = @EntityName AND COALESCE([Revision], 0) = @ExpectedRevision AND [LeaseOwner] = @FenceOwner AND [LeaseExpiresUtc] > SYSUTCDATETIME();

-- state insert if missing
MERGE INTO [reportingsync].[EntityState] WITH (HOLDLOCK) AS t
USING (SELECT @EntityName AS [EntityName], @Status AS [Status], @CursorKind AS [CursorKind], @CursorUrl AS [CursorUrl], @ResumeStatus AS [ResumeStatus], @LayoutFingerprint AS [LayoutFingerprint], @SeedRowsCopied AS [SeedRowsCopied], @SeedRowsEstimated AS [SeedRowsEstimated], @SeedStartedUtc AS [SeedStartedUtc], @SeedCompletedUtc AS [SeedCompletedUtc], @RowsUpserted AS [RowsUpserted], @RowsDeleted AS [RowsDeleted], @Pages AS [Pages], @LastSyncUtc AS [LastSyncUtc], @LastSourceChangeUtc AS [LastSourceChangeUtc], @LastError AS [LastError], @LastErrorUtc AS [LastErrorUtc], @ConsecutiveFailures AS [ConsecutiveFailures], @LeaseOwner AS [LeaseOwner], @LeaseExpiresUtc AS [LeaseExpiresUtc], @UpdatedUtc AS [UpdatedUtc], @LastLagSeconds AS [LastLagSeconds], @ShadowCursorKind AS [ShadowCursorKind], @ShadowCursorUrl AS [ShadowCursorUrl], @ShadowLayoutFingerprint AS [ShadowLayoutFingerprint], @ReseedReason AS [ReseedReason], @ReseedStartedUtc AS [ReseedStartedUtc], @Revision AS [Revision], @ParallelSeed AS [ParallelSeed], @ParallelSeedToken AS [ParallelSeedToken], @ParallelSeedKeysNext AS [ParallelSeedKeysNext], @ParallelSeedFrontier AS [ParallelSeedFrontier], @OrganizationId AS [OrganizationId], @ReseedBlockedUtc AS [ReseedBlockedUtc], @ReseedBlockedBy AS [ReseedBlockedBy]) AS s ON t.[EntityName] = s.[EntityName]
WHEN NOT MATCHED BY TARGET THEN
    INSERT ([EntityName], [Status], [CursorKind], [CursorUrl], [ResumeStatus], [LayoutFingerprint], [SeedRowsCopied], [SeedRowsEstimated], [SeedStartedUtc], [SeedCompletedUtc], [RowsUpserted], [RowsDeleted], [Pages], [LastSyncUtc], [LastSourceChangeUtc], [LastError], [LastErrorUtc], [ConsecutiveFailures], [LeaseOwner], [LeaseExpiresUtc], [UpdatedUtc], [LastLagSeconds], [ShadowCursorKind], [ShadowCursorUrl], [ShadowLayoutFingerprint], [ReseedReason], [ReseedStartedUtc], [Revision], [ParallelSeed], [ParallelSeedToken], [ParallelSeedKeysNext], [ParallelSeedFrontier], [OrganizationId], [ReseedBlockedUtc], [ReseedBlockedBy])
    VALUES (s.[EntityName], s.[Status], s.[CursorKind], s.[CursorUrl], s.[ResumeStatus], s.[LayoutFingerprint], s.[SeedRowsCopied], s.[SeedRowsEstimated], s.[SeedStartedUtc], s.[SeedCompletedUtc], s.[RowsUpserted], s.[RowsDeleted], s.[Pages], s.[LastSyncUtc], s.[LastSourceChangeUtc], s.[LastError], s.[LastErrorUtc], s.[ConsecutiveFailures], s.[LeaseOwner], s.[LeaseExpiresUtc], s.[UpdatedUtc], s.[LastLagSeconds], s.[ShadowCursorKind], s.[ShadowCursorUrl], s.[ShadowLayoutFingerprint], s.[ReseedReason], s.[ReseedStartedUtc], s.[Revision], s.[ParallelSeed], s.[ParallelSeedToken], s.[ParallelSeedKeysNext], s.[ParallelSeedFrontier], s.[OrganizationId], s.[ReseedBlockedUtc], s.[ReseedBlockedBy]);

-- lease acquire
MERGE INTO [reportingsync].[EntityState] WITH (HOLDLOCK) AS t
USING (SELECT @EntityName AS [EntityName], @Status AS [Status], @CursorKind AS [CursorKind], @CursorUrl AS [CursorUrl], @ResumeStatus AS [ResumeStatus], @LayoutFingerprint AS [LayoutFingerprint], @SeedRowsCopied AS [SeedRowsCopied], @SeedRowsEstimated AS [SeedRowsEstimated], @SeedStartedUtc AS [SeedStartedUtc], @SeedCompletedUtc AS [SeedCompletedUtc], @RowsUpserted AS [RowsUpserted], @RowsDeleted AS [RowsDeleted], @Pages AS [Pages], @LastSyncUtc AS [LastSyncUtc], @LastSourceChangeUtc AS [LastSourceChangeUtc], @LastError AS [LastError], @LastErrorUtc AS [LastErrorUtc], @ConsecutiveFailures AS [ConsecutiveFailures], @LeaseOwner AS [LeaseOwner], DATEADD(millisecond, @LeaseDuration, SYSUTCDATETIME()) AS [LeaseExpiresUtc], @UpdatedUtc AS [UpdatedUtc], @LastLagSeconds AS [LastLagSeconds], @ShadowCursorKind AS [ShadowCursorKind], @ShadowCursorUrl AS [ShadowCursorUrl], @ShadowLayoutFingerprint AS [ShadowLayoutFingerprint], @ReseedReason AS [ReseedReason], @ReseedStartedUtc AS [ReseedStartedUtc], @Revision AS [Revision], @ParallelSeed AS [ParallelSeed], @ParallelSeedToken AS [ParallelSeedToken], @ParallelSeedKeysNext AS [ParallelSeedKeysNext], @ParallelSeedFrontier AS [ParallelSeedFrontier], @OrganizationId AS [OrganizationId], @ReseedBlockedUtc AS [ReseedBlockedUtc], @ReseedBlockedBy AS [ReseedBlockedBy]) AS s ON t.[EntityName] = s.[EntityName]
WHEN MATCHED AND (t.[LeaseOwner] IS NULL OR t.[LeaseOwner] = s.[LeaseOwner] OR t.[LeaseExpiresUtc] IS NULL OR t.[LeaseExpiresUtc] <= SYSUTCDATETIME()) THEN
    UPDATE SET [LeaseOwner] = s.[LeaseOwner], [LeaseExpiresUtc] = s.[LeaseExpiresUtc]
WHEN NOT MATCHED BY TARGET THEN
    INSERT ([EntityName], [Status], [CursorKind], [CursorUrl], [ResumeStatus], [LayoutFingerprint], [SeedRowsCopied], [SeedRowsEstimated], [SeedStartedUtc], [SeedCompletedUtc], [RowsUpserted], [RowsDeleted], [Pages], [LastSyncUtc], [LastSourceChangeUtc], [LastError], [LastErrorUtc], [ConsecutiveFailures], [LeaseOwner], [LeaseExpiresUtc], [UpdatedUtc], [LastLagSeconds], [ShadowCursorKind], [ShadowCursorUrl], [ShadowLayoutFingerprint], [ReseedReason], [ReseedStartedUtc], [Revision], [ParallelSeed], [ParallelSeedToken], [ParallelSeedKeysNext], [ParallelSeedFrontier], [OrganizationId], [ReseedBlockedUtc], [ReseedBlockedBy])
    VALUES (s.[EntityName], s.[Status], s.[CursorKind], s.[CursorUrl], s.[ResumeStatus], s.[LayoutFingerprint], s.[SeedRowsCopied], s.[SeedRowsEstimated], s.[SeedStartedUtc], s.[SeedCompletedUtc], s.[RowsUpserted], s.[RowsDeleted], s.[Pages], s.[LastSyncUtc], s.[LastSourceChangeUtc], s.[LastError], s.[LastErrorUtc], s.[ConsecutiveFailures], s.[LeaseOwner], s.[LeaseExpiresUtc], s.[UpdatedUtc], s.[LastLagSeconds], s.[ShadowCursorKind], s.[ShadowCursorUrl], s.[ShadowLayoutFingerprint], s.[ReseedReason], s.[ReseedStartedUtc], s.[Revision], s.[ParallelSeed], s.[ParallelSeedToken], s.[ParallelSeedKeysNext], s.[ParallelSeedFrontier], s.[OrganizationId], s.[ReseedBlockedUtc], s.[ReseedBlockedBy]);

-- lease release
UPDATE [reportingsync].[EntityState] SET [LeaseOwner] = NULL, [LeaseExpiresUtc] = NULL WHERE [EntityName] = @EntityName AND [LeaseOwner] = @FenceOwner;

-- lease held
SELECT CASE WHEN [LeaseOwner] = @FenceOwner AND [LeaseExpiresUtc] > SYSUTCDATETIME() THEN 1 ELSE 0 END FROM [reportingsync].[EntityState] WHERE [EntityName] = @EntityName;

-- history append
INSERT INTO [reportingsync].[SyncHistory] ([EntityName], [AtUtc], [Event], [Detail]) VALUES (@EntityName, @AtUtc, @Event, @Detail);

-- schema change append
INSERT INTO [reportingsync].[SchemaChange] ([EntityName], [ChangedUtc], [ColumnName], [Change], [Action], [Detail]) VALUES (@EntityName, @ChangedUtc, @ColumnName, @Change, @Action, @Detail);

-- seed ranges: select
SELECT [EntityName], [Ordinal], [RangeFrom], [RangeTo], [NextLink], [Done] FROM [reportingsync].[SeedRange];

-- seed ranges: delete
DELETE FROM [reportingsync].[SeedRange] WHERE [EntityName] = @EntityName;

-- seed ranges: insert
INSERT INTO [reportingsync].[SeedRange] ([EntityName], [Ordinal], [RangeFrom], [RangeTo], [NextLink], [Done]) VALUES (@EntityName, @Ordinal, @RangeFrom, @RangeTo, @NextLink, @Done);

-- seed ranges: update
UPDATE [reportingsync].[SeedRange] SET [NextLink] = @NextLink, [Done] = @Done WHERE [EntityName] = @EntityName AND [Ordinal] = @Ordinal;

-- quarantine load
SELECT [EntityName], [RecordId], [VersionNumber], [ColumnName], [Reason], [AtUtc] FROM [reportingsync].[Quarantine] WHERE [EntityName] = @EntityName ORDER BY [AtUtc], [RecordId];

-- command enqueue
INSERT INTO [reportingsync].[Command] ([EntityName], [Kind], [RequestedUtc], [RequestedBy], [Status], [PickedUpBy], [PickedUpUtc], [CompletedUtc], [Detail]) OUTPUT inserted.[Id] VALUES (@EntityName, @Kind, @RequestedUtc, @RequestedBy, @Status, @PickedUpBy, @PickedUpUtc, @CompletedUtc, @Detail);

-- commands open
SELECT [Id], [EntityName], [Kind], [RequestedUtc], [RequestedBy], [Status], [PickedUpBy], [PickedUpUtc], [CompletedUtc], [Detail] FROM [reportingsync].[Command] WHERE [EntityName] = @EntityName AND [Status] IN ('Pending', 'Running') ORDER BY [Id];

-- command get
SELECT [Id], [EntityName], [Kind], [RequestedUtc], [RequestedBy], [Status], [PickedUpBy], [PickedUpUtc], [CompletedUtc], [Detail] FROM [reportingsync].[Command] WHERE [Id] = @Id;

-- commands claim
UPDATE [reportingsync].[Command] SET [Status] = 'Running', [PickedUpBy] = @Owner, [PickedUpUtc] = @now WHERE [EntityName] = @EntityName AND [Status] IN ('Pending', 'Running') AND [Id] IN (@c0, @c1);

-- commands finish
UPDATE [reportingsync].[Command] SET [Status] = @Status, [CompletedUtc] = @now, [Detail] = @Detail WHERE [EntityName] = @EntityName AND [Status] IN ('Pending', 'Running') AND [Id] IN (@c0, @c1);

-- re-seed commands complete at the swap
UPDATE [reportingsync].[Command] SET [Status] = 'Completed', [CompletedUtc] = @now, [Detail] = @Detail WHERE [EntityName] = @EntityName AND [Status] = 'Running' AND [Kind] = 'Reseed';

-- worker report replace
MERGE INTO [reportingsync].[WorkerStatus] WITH (HOLDLOCK) AS t
USING (SELECT @WorkerId AS [WorkerId], @UpdatedUtc AS [UpdatedUtc], @RequestBudgetPerSecond AS [RequestBudgetPerSecond], @RequestsLast5Minutes AS [RequestsLast5Minutes], @PollIntervals AS [PollIntervals]) AS s ON t.[WorkerId] = s.[WorkerId]
WHEN MATCHED THEN
    UPDATE SET [UpdatedUtc] = s.[UpdatedUtc], [RequestBudgetPerSecond] = s.[RequestBudgetPerSecond], [RequestsLast5Minutes] = s.[RequestsLast5Minutes], [PollIntervals] = s.[PollIntervals]
WHEN NOT MATCHED BY TARGET THEN
    INSERT ([WorkerId], [UpdatedUtc], [RequestBudgetPerSecond], [RequestsLast5Minutes], [PollIntervals])
    VALUES (s.[WorkerId], s.[UpdatedUtc], s.[RequestBudgetPerSecond], s.[RequestsLast5Minutes], s.[PollIntervals]);

-- worker reports
SELECT [WorkerId], [UpdatedUtc], [RequestBudgetPerSecond], [RequestsLast5Minutes], [PollIntervals] FROM [reportingsync].[WorkerStatus] ORDER BY [WorkerId];

-- worker reports: drop those of replicas gone for a day
DELETE FROM [reportingsync].[WorkerStatus] WHERE [UpdatedUtc] < @Before;

-- shadow: drop
IF OBJECT_ID(N'[dbo].[dfeta_induction__reseed]', N'U') IS NOT NULL DROP TABLE [dbo].[dfeta_induction__reseed];

-- shadow: create
IF OBJECT_ID(N'[dbo].[dfeta_induction__reseed]', N'U') IS NULL
CREATE TABLE [dbo].[dfeta_induction__reseed] (
    [Id] uniqueidentifier NOT NULL,
    [createdby] uniqueidentifier NULL,
    [createdby_entitytype] nvarchar(128) NULL,
    [createdbyname] nvarchar(100) NULL,
    [createdbyyominame] nvarchar(100) NULL,
    [createdon] datetime2 NULL,
    [createdonbehalfby] uniqueidentifier NULL,
    [createdonbehalfby_entitytype] nvarchar(128) NULL,
    [createdonbehalfbyname] nvarchar(100) NULL,
    [createdonbehalfbyyominame] nvarchar(100) NULL,
    [dfeta_appealreceived] bit NULL,
    [dfeta_appealreceivedon] datetime2 NULL,
    [dfeta_certificatenumber] nvarchar(20) NULL,
    [dfeta_completiondate] date NULL,
    [dfeta_extensionlength] nvarchar(20) NULL,
    [dfeta_extensionlengthunit] int NULL,
    [dfeta_inductionexemptionreason] int NULL,
    [dfeta_inductionstatus] int NULL,
    [dfeta_name] nvarchar(100) NULL,
    [dfeta_numeracypassdate] date NULL,
    [dfeta_outcome] int NULL,
    [dfeta_outcomedate] date NULL,
    [dfeta_personid] uniqueidentifier NULL,
    [dfeta_personid_entitytype] nvarchar(128) NULL,
    [dfeta_personidname] nvarchar(160) NULL,
    [dfeta_personidyominame] nvarchar(450) NULL,
    [dfeta_requestedbyid] uniqueidentifier NULL,
    [dfeta_requestedbyid_entitytype] nvarchar(128) NULL,
    [dfeta_requestedbyidname] nvarchar(160) NULL,
    [dfeta_requestedbyidyominame] nvarchar(450) NULL,
    [dfeta_startdate] date NULL,
    [dfeta_transitionarrangementseligible] bit NULL,
    [importsequencenumber] int NULL,
    [modifiedby] uniqueidentifier NULL,
    [modifiedby_entitytype] nvarchar(128) NULL,
    [modifiedbyname] nvarchar(100) NULL,
    [modifiedbyyominame] nvarchar(100) NULL,
    [modifiedon] datetime2 NULL,
    [modifiedonbehalfby] uniqueidentifier NULL,
    [modifiedonbehalfby_entitytype] nvarchar(128) NULL,
    [modifiedonbehalfbyname] nvarchar(100) NULL,
    [modifiedonbehalfbyyominame] nvarchar(100) NULL,
    [overriddencreatedon] datetime2 NULL,
    [ownerid] uniqueidentifier NULL,
    [ownerid_entitytype] nvarchar(128) NULL,
    [owneridname] nvarchar(100) NULL,
    [owneridtype] nvarchar(4000) NULL,
    [owneridyominame] nvarchar(100) NULL,
    [owningbusinessunit] uniqueidentifier NULL,
    [owningbusinessunit_entitytype] nvarchar(128) NULL,
    [owningbusinessunitname] nvarchar(160) NULL,
    [owningteam] uniqueidentifier NULL,
    [owningteam_entitytype] nvarchar(128) NULL,
    [owninguser] uniqueidentifier NULL,
    [owninguser_entitytype] nvarchar(128) NULL,
    [statecode] int NULL,
    [statuscode] int NULL,
    [timezoneruleversionnumber] int NULL,
    [utcconversiontimezonecode] int NULL,
    [versionnumber] bigint NULL,
    [SinkCreatedOn] datetime2 NOT NULL,
    [SinkModifiedOn] datetime2 NOT NULL,
    CONSTRAINT [PK_dfeta_induction__reseed] PRIMARY KEY CLUSTERED ([Id])
);

-- swap: rows the re-seed did not find
DELETE t FROM [dbo].[dfeta_induction] AS t WHERE NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction__reseed] AS s WHERE s.[Id] = t.[Id]);

-- swap: rows the re-seed did not find, with soft deletes
UPDATE t SET [IsDeleted] = 1, [SinkModifiedOn] = @now FROM [dbo].[dfeta_induction] AS t WHERE t.[IsDeleted] = 0 AND NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction__reseed] AS s WHERE s.[Id] = t.[Id]);

-- swap: the shadow's new and changed rows
MERGE INTO [dbo].[dfeta_induction] WITH (HOLDLOCK) AS t
USING [dbo].[dfeta_induction__reseed] AS s ON t.[Id] = s.[Id]
WHEN MATCHED AND ((t.[versionnumber] IS NULL OR s.[versionnumber] >= t.[versionnumber]) AND EXISTS (SELECT t.[Id], t.[createdby], t.[createdby_entitytype], t.[createdbyname], t.[createdbyyominame], t.[createdon], t.[createdonbehalfby], t.[createdonbehalfby_entitytype], t.[createdonbehalfbyname], t.[createdonbehalfbyyominame], t.[dfeta_appealreceived], t.[dfeta_appealreceivedon], t.[dfeta_certificatenumber], t.[dfeta_completiondate], t.[dfeta_extensionlength], t.[dfeta_extensionlengthunit], t.[dfeta_inductionexemptionreason], t.[dfeta_inductionstatus], t.[dfeta_name], t.[dfeta_numeracypassdate], t.[dfeta_outcome], t.[dfeta_outcomedate], t.[dfeta_personid], t.[dfeta_personid_entitytype], t.[dfeta_personidname], t.[dfeta_personidyominame], t.[dfeta_requestedbyid], t.[dfeta_requestedbyid_entitytype], t.[dfeta_requestedbyidname], t.[dfeta_requestedbyidyominame], t.[dfeta_startdate], t.[dfeta_transitionarrangementseligible], t.[importsequencenumber], t.[modifiedby], t.[modifiedby_entitytype], t.[modifiedbyname], t.[modifiedbyyominame], t.[modifiedon], t.[modifiedonbehalfby], t.[modifiedonbehalfby_entitytype], t.[modifiedonbehalfbyname], t.[modifiedonbehalfbyyominame], t.[overriddencreatedon], t.[ownerid], t.[ownerid_entitytype], t.[owneridname], t.[owneridtype], t.[owneridyominame], t.[owningbusinessunit], t.[owningbusinessunit_entitytype], t.[owningbusinessunitname], t.[owningteam], t.[owningteam_entitytype], t.[owninguser], t.[owninguser_entitytype], t.[statecode], t.[statuscode], t.[timezoneruleversionnumber], t.[utcconversiontimezonecode], t.[versionnumber] EXCEPT SELECT s.[Id], s.[createdby], s.[createdby_entitytype], s.[createdbyname], s.[createdbyyominame], s.[createdon], s.[createdonbehalfby], s.[createdonbehalfby_entitytype], s.[createdonbehalfbyname], s.[createdonbehalfbyyominame], s.[dfeta_appealreceived], s.[dfeta_appealreceivedon], s.[dfeta_certificatenumber], s.[dfeta_completiondate], s.[dfeta_extensionlength], s.[dfeta_extensionlengthunit], s.[dfeta_inductionexemptionreason], s.[dfeta_inductionstatus], s.[dfeta_name], s.[dfeta_numeracypassdate], s.[dfeta_outcome], s.[dfeta_outcomedate], s.[dfeta_personid], s.[dfeta_personid_entitytype], s.[dfeta_personidname], s.[dfeta_personidyominame], s.[dfeta_requestedbyid], s.[dfeta_requestedbyid_entitytype], s.[dfeta_requestedbyidname], s.[dfeta_requestedbyidyominame], s.[dfeta_startdate], s.[dfeta_transitionarrangementseligible], s.[importsequencenumber], s.[modifiedby], s.[modifiedby_entitytype], s.[modifiedbyname], s.[modifiedbyyominame], s.[modifiedon], s.[modifiedonbehalfby], s.[modifiedonbehalfby_entitytype], s.[modifiedonbehalfbyname], s.[modifiedonbehalfbyyominame], s.[overriddencreatedon], s.[ownerid], s.[ownerid_entitytype], s.[owneridname], s.[owneridtype], s.[owneridyominame], s.[owningbusinessunit], s.[owningbusinessunit_entitytype], s.[owningbusinessunitname], s.[owningteam], s.[owningteam_entitytype], s.[owninguser], s.[owninguser_entitytype], s.[statecode], s.[statuscode], s.[timezoneruleversionnumber], s.[utcconversiontimezonecode], s.[versionnumber])) THEN
    UPDATE SET [createdby] = s.[createdby], [createdby_entitytype] = s.[createdby_entitytype], [createdbyname] = s.[createdbyname], [createdbyyominame] = s.[createdbyyominame], [createdon] = s.[createdon], [createdonbehalfby] = s.[createdonbehalfby], [createdonbehalfby_entitytype] = s.[createdonbehalfby_entitytype], [createdonbehalfbyname] = s.[createdonbehalfbyname], [createdonbehalfbyyominame] = s.[createdonbehalfbyyominame], [dfeta_appealreceived] = s.[dfeta_appealreceived], [dfeta_appealreceivedon] = s.[dfeta_appealreceivedon], [dfeta_certificatenumber] = s.[dfeta_certificatenumber], [dfeta_completiondate] = s.[dfeta_completiondate], [dfeta_extensionlength] = s.[dfeta_extensionlength], [dfeta_extensionlengthunit] = s.[dfeta_extensionlengthunit], [dfeta_inductionexemptionreason] = s.[dfeta_inductionexemptionreason], [dfeta_inductionstatus] = s.[dfeta_inductionstatus], [dfeta_name] = s.[dfeta_name], [dfeta_numeracypassdate] = s.[dfeta_numeracypassdate], [dfeta_outcome] = s.[dfeta_outcome], [dfeta_outcomedate] = s.[dfeta_outcomedate], [dfeta_personid] = s.[dfeta_personid], [dfeta_personid_entitytype] = s.[dfeta_personid_entitytype], [dfeta_personidname] = s.[dfeta_personidname], [dfeta_personidyominame] = s.[dfeta_personidyominame], [dfeta_requestedbyid] = s.[dfeta_requestedbyid], [dfeta_requestedbyid_entitytype] = s.[dfeta_requestedbyid_entitytype], [dfeta_requestedbyidname] = s.[dfeta_requestedbyidname], [dfeta_requestedbyidyominame] = s.[dfeta_requestedbyidyominame], [dfeta_startdate] = s.[dfeta_startdate], [dfeta_transitionarrangementseligible] = s.[dfeta_transitionarrangementseligible], [importsequencenumber] = s.[importsequencenumber], [modifiedby] = s.[modifiedby], [modifiedby_entitytype] = s.[modifiedby_entitytype], [modifiedbyname] = s.[modifiedbyname], [modifiedbyyominame] = s.[modifiedbyyominame], [modifiedon] = s.[modifiedon], [modifiedonbehalfby] = s.[modifiedonbehalfby], [modifiedonbehalfby_entitytype] = s.[modifiedonbehalfby_entitytype], [modifiedonbehalfbyname] = s.[modifiedonbehalfbyname], [modifiedonbehalfbyyominame] = s.[modifiedonbehalfbyyominame], [overriddencreatedon] = s.[overriddencreatedon], [ownerid] = s.[ownerid], [ownerid_entitytype] = s.[ownerid_entitytype], [owneridname] = s.[owneridname], [owneridtype] = s.[owneridtype], [owneridyominame] = s.[owneridyominame], [owningbusinessunit] = s.[owningbusinessunit], [owningbusinessunit_entitytype] = s.[owningbusinessunit_entitytype], [owningbusinessunitname] = s.[owningbusinessunitname], [owningteam] = s.[owningteam], [owningteam_entitytype] = s.[owningteam_entitytype], [owninguser] = s.[owninguser], [owninguser_entitytype] = s.[owninguser_entitytype], [statecode] = s.[statecode], [statuscode] = s.[statuscode], [timezoneruleversionnumber] = s.[timezoneruleversionnumber], [utcconversiontimezonecode] = s.[utcconversiontimezonecode], [versionnumber] = s.[versionnumber], [SinkModifiedOn] = @now
WHEN NOT MATCHED BY TARGET THEN
    INSERT ([Id], [createdby], [createdby_entitytype], [createdbyname], [createdbyyominame], [createdon], [createdonbehalfby], [createdonbehalfby_entitytype], [createdonbehalfbyname], [createdonbehalfbyyominame], [dfeta_appealreceived], [dfeta_appealreceivedon], [dfeta_certificatenumber], [dfeta_completiondate], [dfeta_extensionlength], [dfeta_extensionlengthunit], [dfeta_inductionexemptionreason], [dfeta_inductionstatus], [dfeta_name], [dfeta_numeracypassdate], [dfeta_outcome], [dfeta_outcomedate], [dfeta_personid], [dfeta_personid_entitytype], [dfeta_personidname], [dfeta_personidyominame], [dfeta_requestedbyid], [dfeta_requestedbyid_entitytype], [dfeta_requestedbyidname], [dfeta_requestedbyidyominame], [dfeta_startdate], [dfeta_transitionarrangementseligible], [importsequencenumber], [modifiedby], [modifiedby_entitytype], [modifiedbyname], [modifiedbyyominame], [modifiedon], [modifiedonbehalfby], [modifiedonbehalfby_entitytype], [modifiedonbehalfbyname], [modifiedonbehalfbyyominame], [overriddencreatedon], [ownerid], [ownerid_entitytype], [owneridname], [owneridtype], [owneridyominame], [owningbusinessunit], [owningbusinessunit_entitytype], [owningbusinessunitname], [owningteam], [owningteam_entitytype], [owninguser], [owninguser_entitytype], [statecode], [statuscode], [timezoneruleversionnumber], [utcconversiontimezonecode], [versionnumber], [SinkCreatedOn], [SinkModifiedOn])
    VALUES (s.[Id], s.[createdby], s.[createdby_entitytype], s.[createdbyname], s.[createdbyyominame], s.[createdon], s.[createdonbehalfby], s.[createdonbehalfby_entitytype], s.[createdonbehalfbyname], s.[createdonbehalfbyyominame], s.[dfeta_appealreceived], s.[dfeta_appealreceivedon], s.[dfeta_certificatenumber], s.[dfeta_completiondate], s.[dfeta_extensionlength], s.[dfeta_extensionlengthunit], s.[dfeta_inductionexemptionreason], s.[dfeta_inductionstatus], s.[dfeta_name], s.[dfeta_numeracypassdate], s.[dfeta_outcome], s.[dfeta_outcomedate], s.[dfeta_personid], s.[dfeta_personid_entitytype], s.[dfeta_personidname], s.[dfeta_personidyominame], s.[dfeta_requestedbyid], s.[dfeta_requestedbyid_entitytype], s.[dfeta_requestedbyidname], s.[dfeta_requestedbyidyominame], s.[dfeta_startdate], s.[dfeta_transitionarrangementseligible], s.[importsequencenumber], s.[modifiedby], s.[modifiedby_entitytype], s.[modifiedbyname], s.[modifiedbyyominame], s.[modifiedon], s.[modifiedonbehalfby], s.[modifiedonbehalfby_entitytype], s.[modifiedonbehalfbyname], s.[modifiedonbehalfbyyominame], s.[overriddencreatedon], s.[ownerid], s.[ownerid_entitytype], s.[owneridname], s.[owneridtype], s.[owneridyominame], s.[owningbusinessunit], s.[owningbusinessunit_entitytype], s.[owningbusinessunitname], s.[owningteam], s.[owningteam_entitytype], s.[owninguser], s.[owninguser_entitytype], s.[statecode], s.[statuscode], s.[timezoneruleversionnumber], s.[utcconversiontimezonecode], s.[versionnumber], @now, @now);

-- swap: soft deletes flag added to a table made without it
ALTER TABLE [dbo].[dfeta_induction] ADD [IsDeleted] bit NOT NULL DEFAULT 0;

-- label view drop (around DDL)
IF OBJECT_ID(N'[dbo].[dfeta_induction_labelled]', N'V') IS NOT NULL DROP VIEW [dbo].[dfeta_induction_labelled];

