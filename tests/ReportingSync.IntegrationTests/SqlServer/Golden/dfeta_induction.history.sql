-- history: create
IF OBJECT_ID(N'[dbo].[dfeta_induction_history]', N'U') IS NULL
CREATE TABLE [dbo].[dfeta_induction_history] (
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
    [versionnumber] bigint NOT NULL,
    [ValidFromUtc] datetime2 NOT NULL,
    [ValidToUtc] datetime2 NULL,
    [IsDeleted] bit NOT NULL DEFAULT 0,
    CONSTRAINT [PK_dfeta_induction_history] PRIMARY KEY CLUSTERED ([Id], [versionnumber])
);

-- history: a page's versions
INSERT INTO [dbo].[dfeta_induction_history] ([Id], [createdby], [createdby_entitytype], [createdbyname], [createdbyyominame], [createdon], [createdonbehalfby], [createdonbehalfby_entitytype], [createdonbehalfbyname], [createdonbehalfbyyominame], [dfeta_appealreceived], [dfeta_appealreceivedon], [dfeta_certificatenumber], [dfeta_completiondate], [dfeta_extensionlength], [dfeta_extensionlengthunit], [dfeta_inductionexemptionreason], [dfeta_inductionstatus], [dfeta_name], [dfeta_numeracypassdate], [dfeta_outcome], [dfeta_outcomedate], [dfeta_personid], [dfeta_personid_entitytype], [dfeta_personidname], [dfeta_personidyominame], [dfeta_requestedbyid], [dfeta_requestedbyid_entitytype], [dfeta_requestedbyidname], [dfeta_requestedbyidyominame], [dfeta_startdate], [dfeta_transitionarrangementseligible], [importsequencenumber], [modifiedby], [modifiedby_entitytype], [modifiedbyname], [modifiedbyyominame], [modifiedon], [modifiedonbehalfby], [modifiedonbehalfby_entitytype], [modifiedonbehalfbyname], [modifiedonbehalfbyyominame], [overriddencreatedon], [ownerid], [ownerid_entitytype], [owneridname], [owneridtype], [owneridyominame], [owningbusinessunit], [owningbusinessunit_entitytype], [owningbusinessunitname], [owningteam], [owningteam_entitytype], [owninguser], [owninguser_entitytype], [statecode], [statuscode], [timezoneruleversionnumber], [utcconversiontimezonecode], [versionnumber], [ValidFromUtc], [ValidToUtc], [IsDeleted])
SELECT t.[Id], t.[createdby], t.[createdby_entitytype], t.[createdbyname], t.[createdbyyominame], t.[createdon], t.[createdonbehalfby], t.[createdonbehalfby_entitytype], t.[createdonbehalfbyname], t.[createdonbehalfbyyominame], t.[dfeta_appealreceived], t.[dfeta_appealreceivedon], t.[dfeta_certificatenumber], t.[dfeta_completiondate], t.[dfeta_extensionlength], t.[dfeta_extensionlengthunit], t.[dfeta_inductionexemptionreason], t.[dfeta_inductionstatus], t.[dfeta_name], t.[dfeta_numeracypassdate], t.[dfeta_outcome], t.[dfeta_outcomedate], t.[dfeta_personid], t.[dfeta_personid_entitytype], t.[dfeta_personidname], t.[dfeta_personidyominame], t.[dfeta_requestedbyid], t.[dfeta_requestedbyid_entitytype], t.[dfeta_requestedbyidname], t.[dfeta_requestedbyidyominame], t.[dfeta_startdate], t.[dfeta_transitionarrangementseligible], t.[importsequencenumber], t.[modifiedby], t.[modifiedby_entitytype], t.[modifiedbyname], t.[modifiedbyyominame], t.[modifiedon], t.[modifiedonbehalfby], t.[modifiedonbehalfby_entitytype], t.[modifiedonbehalfbyname], t.[modifiedonbehalfbyyominame], t.[overriddencreatedon], t.[ownerid], t.[ownerid_entitytype], t.[owneridname], t.[owneridtype], t.[owneridyominame], t.[owningbusinessunit], t.[owningbusinessunit_entitytype], t.[owningbusinessunitname], t.[owningteam], t.[owningteam_entitytype], t.[owninguser], t.[owninguser_entitytype], t.[statecode], t.[statuscode], t.[timezoneruleversionnumber], t.[utcconversiontimezonecode], t.[versionnumber], CASE WHEN (SELECT MAX(p.[ValidFromUtc]) FROM [dbo].[dfeta_induction_history] AS p WHERE p.[Id] = t.[Id] AND p.[versionnumber] < t.[versionnumber]) > COALESCE(t.[modifiedon], @now) THEN (SELECT MAX(p.[ValidFromUtc]) FROM [dbo].[dfeta_induction_history] AS p WHERE p.[Id] = t.[Id] AND p.[versionnumber] < t.[versionnumber]) ELSE COALESCE(t.[modifiedon], @now) END, NULL, 0 FROM [dbo].[dfeta_induction] AS t
WHERE t.[Id] IN (SELECT [Id] FROM [#reportingsync_ids])
  AND t.[versionnumber] IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction_history] AS h WHERE h.[Id] = t.[Id] AND h.[versionnumber] = t.[versionnumber]);

-- history: a page's deletes
INSERT INTO [dbo].[dfeta_induction_history] ([Id], [createdby], [createdby_entitytype], [createdbyname], [createdbyyominame], [createdon], [createdonbehalfby], [createdonbehalfby_entitytype], [createdonbehalfbyname], [createdonbehalfbyyominame], [dfeta_appealreceived], [dfeta_appealreceivedon], [dfeta_certificatenumber], [dfeta_completiondate], [dfeta_extensionlength], [dfeta_extensionlengthunit], [dfeta_inductionexemptionreason], [dfeta_inductionstatus], [dfeta_name], [dfeta_numeracypassdate], [dfeta_outcome], [dfeta_outcomedate], [dfeta_personid], [dfeta_personid_entitytype], [dfeta_personidname], [dfeta_personidyominame], [dfeta_requestedbyid], [dfeta_requestedbyid_entitytype], [dfeta_requestedbyidname], [dfeta_requestedbyidyominame], [dfeta_startdate], [dfeta_transitionarrangementseligible], [importsequencenumber], [modifiedby], [modifiedby_entitytype], [modifiedbyname], [modifiedbyyominame], [modifiedon], [modifiedonbehalfby], [modifiedonbehalfby_entitytype], [modifiedonbehalfbyname], [modifiedonbehalfbyyominame], [overriddencreatedon], [ownerid], [ownerid_entitytype], [owneridname], [owneridtype], [owneridyominame], [owningbusinessunit], [owningbusinessunit_entitytype], [owningbusinessunitname], [owningteam], [owningteam_entitytype], [owninguser], [owninguser_entitytype], [statecode], [statuscode], [timezoneruleversionnumber], [utcconversiontimezonecode], [versionnumber], [ValidFromUtc], [ValidToUtc], [IsDeleted])
SELECT h.[Id], h.[createdby], h.[createdby_entitytype], h.[createdbyname], h.[createdbyyominame], h.[createdon], h.[createdonbehalfby], h.[createdonbehalfby_entitytype], h.[createdonbehalfbyname], h.[createdonbehalfbyyominame], h.[dfeta_appealreceived], h.[dfeta_appealreceivedon], h.[dfeta_certificatenumber], h.[dfeta_completiondate], h.[dfeta_extensionlength], h.[dfeta_extensionlengthunit], h.[dfeta_inductionexemptionreason], h.[dfeta_inductionstatus], h.[dfeta_name], h.[dfeta_numeracypassdate], h.[dfeta_outcome], h.[dfeta_outcomedate], h.[dfeta_personid], h.[dfeta_personid_entitytype], h.[dfeta_personidname], h.[dfeta_personidyominame], h.[dfeta_requestedbyid], h.[dfeta_requestedbyid_entitytype], h.[dfeta_requestedbyidname], h.[dfeta_requestedbyidyominame], h.[dfeta_startdate], h.[dfeta_transitionarrangementseligible], h.[importsequencenumber], h.[modifiedby], h.[modifiedby_entitytype], h.[modifiedbyname], h.[modifiedbyyominame], h.[modifiedon], h.[modifiedonbehalfby], h.[modifiedonbehalfby_entitytype], h.[modifiedonbehalfbyname], h.[modifiedonbehalfbyyominame], h.[overriddencreatedon], h.[ownerid], h.[ownerid_entitytype], h.[owneridname], h.[owneridtype], h.[owneridyominame], h.[owningbusinessunit], h.[owningbusinessunit_entitytype], h.[owningbusinessunitname], h.[owningteam], h.[owningteam_entitytype], h.[owninguser], h.[owninguser_entitytype], h.[statecode], h.[statuscode], h.[timezoneruleversionnumber], h.[utcconversiontimezonecode], h.[versionnumber] + 1, CASE WHEN h.[ValidFromUtc] > @now THEN h.[ValidFromUtc] ELSE @now END, NULL, 1 FROM [dbo].[dfeta_induction_history] AS h
WHERE h.[Id] IN (SELECT [Id] FROM [#reportingsync_ids])
  AND h.[versionnumber] = (SELECT MAX(m.[versionnumber]) FROM [dbo].[dfeta_induction_history] AS m WHERE m.[Id] = h.[Id])
  AND h.[IsDeleted] = 0
  AND NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction] AS t WHERE t.[Id] = h.[Id]);

-- history: a page's chain
UPDATE h SET [ValidToUtc] = (SELECT n.[ValidFromUtc] FROM [dbo].[dfeta_induction_history] AS n WHERE n.[Id] = h.[Id] AND n.[versionnumber] = (SELECT MIN(m.[versionnumber]) FROM [dbo].[dfeta_induction_history] AS m WHERE m.[Id] = h.[Id] AND m.[versionnumber] > h.[versionnumber])) FROM [dbo].[dfeta_induction_history] AS h
WHERE h.[Id] IN (SELECT [Id] FROM [#reportingsync_ids]) AND EXISTS (SELECT h.[ValidToUtc] EXCEPT SELECT (SELECT n.[ValidFromUtc] FROM [dbo].[dfeta_induction_history] AS n WHERE n.[Id] = h.[Id] AND n.[versionnumber] = (SELECT MIN(m.[versionnumber]) FROM [dbo].[dfeta_induction_history] AS m WHERE m.[Id] = h.[Id] AND m.[versionnumber] > h.[versionnumber])));

-- history: a page's hard delete
DELETE FROM [dbo].[dfeta_induction] WHERE [Id] IN (SELECT d.[Id] FROM [#reportingsync_ids] AS d WHERE d.[Seq] < @head);

-- history: a page's soft delete
UPDATE [dbo].[dfeta_induction] SET [IsDeleted] = 1, [SinkModifiedOn] = @now WHERE [Id] IN (SELECT d.[Id] FROM [#reportingsync_ids] AS d WHERE d.[Seq] < @head) AND [IsDeleted] = 0;

-- history: a page's delete log
INSERT INTO [dbo].[DeleteLog] ([EntityName], [RecordId], [SinkDeleteTime], [VersionNumber]) SELECT @EntityName, LOWER(CONVERT(nvarchar(36), d.[Id])), @now, NULL FROM (SELECT * FROM [#reportingsync_ids] AS d WHERE d.[Seq] < @head) AS d ORDER BY d.[Seq];

-- history: a page's deletes released from quarantine
DELETE FROM [reportingsync].[Quarantine] WHERE [EntityName] = @EntityName AND [RecordId] IN (SELECT d.[Id] FROM [#reportingsync_ids] AS d WHERE d.[Seq] < @head);

-- history: the swap's open versions filled
UPDATE h SET [createdby] = COALESCE(h.[createdby], t.[createdby]), [createdby_entitytype] = COALESCE(h.[createdby_entitytype], t.[createdby_entitytype]), [createdbyname] = COALESCE(h.[createdbyname], t.[createdbyname]), [createdbyyominame] = COALESCE(h.[createdbyyominame], t.[createdbyyominame]), [createdon] = COALESCE(h.[createdon], t.[createdon]), [createdonbehalfby] = COALESCE(h.[createdonbehalfby], t.[createdonbehalfby]), [createdonbehalfby_entitytype] = COALESCE(h.[createdonbehalfby_entitytype], t.[createdonbehalfby_entitytype]), [createdonbehalfbyname] = COALESCE(h.[createdonbehalfbyname], t.[createdonbehalfbyname]), [createdonbehalfbyyominame] = COALESCE(h.[createdonbehalfbyyominame], t.[createdonbehalfbyyominame]), [dfeta_appealreceived] = COALESCE(h.[dfeta_appealreceived], t.[dfeta_appealreceived]), [dfeta_appealreceivedon] = COALESCE(h.[dfeta_appealreceivedon], t.[dfeta_appealreceivedon]), [dfeta_certificatenumber] = COALESCE(h.[dfeta_certificatenumber], t.[dfeta_certificatenumber]), [dfeta_completiondate] = COALESCE(h.[dfeta_completiondate], t.[dfeta_completiondate]), [dfeta_extensionlength] = COALESCE(h.[dfeta_extensionlength], t.[dfeta_extensionlength]), [dfeta_extensionlengthunit] = COALESCE(h.[dfeta_extensionlengthunit], t.[dfeta_extensionlengthunit]), [dfeta_inductionexemptionreason] = COALESCE(h.[dfeta_inductionexemptionreason], t.[dfeta_inductionexemptionreason]), [dfeta_inductionstatus] = COALESCE(h.[dfeta_inductionstatus], t.[dfeta_inductionstatus]), [dfeta_name] = COALESCE(h.[dfeta_name], t.[dfeta_name]), [dfeta_numeracypassdate] = COALESCE(h.[dfeta_numeracypassdate], t.[dfeta_numeracypassdate]), [dfeta_outcome] = COALESCE(h.[dfeta_outcome], t.[dfeta_outcome]), [dfeta_outcomedate] = COALESCE(h.[dfeta_outcomedate], t.[dfeta_outcomedate]), [dfeta_personid] = COALESCE(h.[dfeta_personid], t.[dfeta_personid]), [dfeta_personid_entitytype] = COALESCE(h.[dfeta_personid_entitytype], t.[dfeta_personid_entitytype]), [dfeta_personidname] = COALESCE(h.[dfeta_personidname], t.[dfeta_personidname]), [dfeta_personidyominame] = COALESCE(h.[dfeta_personidyominame], t.[dfeta_personidyominame]), [dfeta_requestedbyid] = COALESCE(h.[dfeta_requestedbyid], t.[dfeta_requestedbyid]), [dfeta_requestedbyid_entitytype] = COALESCE(h.[dfeta_requestedbyid_entitytype], t.[dfeta_requestedbyid_entitytype]), [dfeta_requestedbyidname] = COALESCE(h.[dfeta_requestedbyidname], t.[dfeta_requestedbyidname]), [dfeta_requestedbyidyominame] = COALESCE(h.[dfeta_requestedbyidyominame], t.[dfeta_requestedbyidyominame]), [dfeta_startdate] = COALESCE(h.[dfeta_startdate], t.[dfeta_startdate]), [dfeta_transitionarrangementseligible] = COALESCE(h.[dfeta_transitionarrangementseligible], t.[dfeta_transitionarrangementseligible]), [importsequencenumber] = COALESCE(h.[importsequencenumber], t.[importsequencenumber]), [modifiedby] = COALESCE(h.[modifiedby], t.[modifiedby]), [modifiedby_entitytype] = COALESCE(h.[modifiedby_entitytype], t.[modifiedby_entitytype]), [modifiedbyname] = COALESCE(h.[modifiedbyname], t.[modifiedbyname]), [modifiedbyyominame] = COALESCE(h.[modifiedbyyominame], t.[modifiedbyyominame]), [modifiedon] = COALESCE(h.[modifiedon], t.[modifiedon]), [modifiedonbehalfby] = COALESCE(h.[modifiedonbehalfby], t.[modifiedonbehalfby]), [modifiedonbehalfby_entitytype] = COALESCE(h.[modifiedonbehalfby_entitytype], t.[modifiedonbehalfby_entitytype]), [modifiedonbehalfbyname] = COALESCE(h.[modifiedonbehalfbyname], t.[modifiedonbehalfbyname]), [modifiedonbehalfbyyominame] = COALESCE(h.[modifiedonbehalfbyyominame], t.[modifiedonbehalfbyyominame]), [overriddencreatedon] = COALESCE(h.[overriddencreatedon], t.[overriddencreatedon]), [ownerid] = COALESCE(h.[ownerid], t.[ownerid]), [ownerid_entitytype] = COALESCE(h.[ownerid_entitytype], t.[ownerid_entitytype]), [owneridname] = COALESCE(h.[owneridname], t.[owneridname]), [owneridtype] = COALESCE(h.[owneridtype], t.[owneridtype]), [owneridyominame] = COALESCE(h.[owneridyominame], t.[owneridyominame]), [owningbusinessunit] = COALESCE(h.[owningbusinessunit], t.[owningbusinessunit]), [owningbusinessunit_entitytype] = COALESCE(h.[owningbusinessunit_entitytype], t.[owningbusinessunit_entitytype]), [owningbusinessunitname] = COALESCE(h.[owningbusinessunitname], t.[owningbusinessunitname]), [owningteam] = COALESCE(h.[owningteam], t.[owningteam]), [owningteam_entitytype] = COALESCE(h.[owningteam_entitytype], t.[owningteam_entitytype]), [owninguser] = COALESCE(h.[owninguser], t.[owninguser]), [owninguser_entitytype] = COALESCE(h.[owninguser_entitytype], t.[owninguser_entitytype]), [statecode] = COALESCE(h.[statecode], t.[statecode]), [statuscode] = COALESCE(h.[statuscode], t.[statuscode]), [timezoneruleversionnumber] = COALESCE(h.[timezoneruleversionnumber], t.[timezoneruleversionnumber]), [utcconversiontimezonecode] = COALESCE(h.[utcconversiontimezonecode], t.[utcconversiontimezonecode]) FROM [dbo].[dfeta_induction_history] AS h INNER JOIN [dbo].[dfeta_induction__reseed] AS t ON t.[Id] = h.[Id] AND t.[versionnumber] = h.[versionnumber] AND h.[ValidToUtc] IS NULL;

-- history: the swap's versions
INSERT INTO [dbo].[dfeta_induction_history] ([Id], [createdby], [createdby_entitytype], [createdbyname], [createdbyyominame], [createdon], [createdonbehalfby], [createdonbehalfby_entitytype], [createdonbehalfbyname], [createdonbehalfbyyominame], [dfeta_appealreceived], [dfeta_appealreceivedon], [dfeta_certificatenumber], [dfeta_completiondate], [dfeta_extensionlength], [dfeta_extensionlengthunit], [dfeta_inductionexemptionreason], [dfeta_inductionstatus], [dfeta_name], [dfeta_numeracypassdate], [dfeta_outcome], [dfeta_outcomedate], [dfeta_personid], [dfeta_personid_entitytype], [dfeta_personidname], [dfeta_personidyominame], [dfeta_requestedbyid], [dfeta_requestedbyid_entitytype], [dfeta_requestedbyidname], [dfeta_requestedbyidyominame], [dfeta_startdate], [dfeta_transitionarrangementseligible], [importsequencenumber], [modifiedby], [modifiedby_entitytype], [modifiedbyname], [modifiedbyyominame], [modifiedon], [modifiedonbehalfby], [modifiedonbehalfby_entitytype], [modifiedonbehalfbyname], [modifiedonbehalfbyyominame], [overriddencreatedon], [ownerid], [ownerid_entitytype], [owneridname], [owneridtype], [owneridyominame], [owningbusinessunit], [owningbusinessunit_entitytype], [owningbusinessunitname], [owningteam], [owningteam_entitytype], [owninguser], [owninguser_entitytype], [statecode], [statuscode], [timezoneruleversionnumber], [utcconversiontimezonecode], [versionnumber], [ValidFromUtc], [ValidToUtc], [IsDeleted])
SELECT t.[Id], t.[createdby], t.[createdby_entitytype], t.[createdbyname], t.[createdbyyominame], t.[createdon], t.[createdonbehalfby], t.[createdonbehalfby_entitytype], t.[createdonbehalfbyname], t.[createdonbehalfbyyominame], t.[dfeta_appealreceived], t.[dfeta_appealreceivedon], t.[dfeta_certificatenumber], t.[dfeta_completiondate], t.[dfeta_extensionlength], t.[dfeta_extensionlengthunit], t.[dfeta_inductionexemptionreason], t.[dfeta_inductionstatus], t.[dfeta_name], t.[dfeta_numeracypassdate], t.[dfeta_outcome], t.[dfeta_outcomedate], t.[dfeta_personid], t.[dfeta_personid_entitytype], t.[dfeta_personidname], t.[dfeta_personidyominame], t.[dfeta_requestedbyid], t.[dfeta_requestedbyid_entitytype], t.[dfeta_requestedbyidname], t.[dfeta_requestedbyidyominame], t.[dfeta_startdate], t.[dfeta_transitionarrangementseligible], t.[importsequencenumber], t.[modifiedby], t.[modifiedby_entitytype], t.[modifiedbyname], t.[modifiedbyyominame], t.[modifiedon], t.[modifiedonbehalfby], t.[modifiedonbehalfby_entitytype], t.[modifiedonbehalfbyname], t.[modifiedonbehalfbyyominame], t.[overriddencreatedon], t.[ownerid], t.[ownerid_entitytype], t.[owneridname], t.[owneridtype], t.[owneridyominame], t.[owningbusinessunit], t.[owningbusinessunit_entitytype], t.[owningbusinessunitname], t.[owningteam], t.[owningteam_entitytype], t.[owninguser], t.[owninguser_entitytype], t.[statecode], t.[statuscode], t.[timezoneruleversionnumber], t.[utcconversiontimezonecode], t.[versionnumber], CASE WHEN (SELECT MAX(p.[ValidFromUtc]) FROM [dbo].[dfeta_induction_history] AS p WHERE p.[Id] = t.[Id] AND p.[versionnumber] < t.[versionnumber]) > COALESCE(t.[modifiedon], @now) THEN (SELECT MAX(p.[ValidFromUtc]) FROM [dbo].[dfeta_induction_history] AS p WHERE p.[Id] = t.[Id] AND p.[versionnumber] < t.[versionnumber]) ELSE COALESCE(t.[modifiedon], @now) END, NULL, 0 FROM [dbo].[dfeta_induction__reseed] AS t
WHERE t.[versionnumber] IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction_history] AS h WHERE h.[Id] = t.[Id] AND h.[versionnumber] = t.[versionnumber]);

-- history: the swap's deletes
INSERT INTO [dbo].[dfeta_induction_history] ([Id], [createdby], [createdby_entitytype], [createdbyname], [createdbyyominame], [createdon], [createdonbehalfby], [createdonbehalfby_entitytype], [createdonbehalfbyname], [createdonbehalfbyyominame], [dfeta_appealreceived], [dfeta_appealreceivedon], [dfeta_certificatenumber], [dfeta_completiondate], [dfeta_extensionlength], [dfeta_extensionlengthunit], [dfeta_inductionexemptionreason], [dfeta_inductionstatus], [dfeta_name], [dfeta_numeracypassdate], [dfeta_outcome], [dfeta_outcomedate], [dfeta_personid], [dfeta_personid_entitytype], [dfeta_personidname], [dfeta_personidyominame], [dfeta_requestedbyid], [dfeta_requestedbyid_entitytype], [dfeta_requestedbyidname], [dfeta_requestedbyidyominame], [dfeta_startdate], [dfeta_transitionarrangementseligible], [importsequencenumber], [modifiedby], [modifiedby_entitytype], [modifiedbyname], [modifiedbyyominame], [modifiedon], [modifiedonbehalfby], [modifiedonbehalfby_entitytype], [modifiedonbehalfbyname], [modifiedonbehalfbyyominame], [overriddencreatedon], [ownerid], [ownerid_entitytype], [owneridname], [owneridtype], [owneridyominame], [owningbusinessunit], [owningbusinessunit_entitytype], [owningbusinessunitname], [owningteam], [owningteam_entitytype], [owninguser], [owninguser_entitytype], [statecode], [statuscode], [timezoneruleversionnumber], [utcconversiontimezonecode], [versionnumber], [ValidFromUtc], [ValidToUtc], [IsDeleted])
SELECT h.[Id], h.[createdby], h.[createdby_entitytype], h.[createdbyname], h.[createdbyyominame], h.[createdon], h.[createdonbehalfby], h.[createdonbehalfby_entitytype], h.[createdonbehalfbyname], h.[createdonbehalfbyyominame], h.[dfeta_appealreceived], h.[dfeta_appealreceivedon], h.[dfeta_certificatenumber], h.[dfeta_completiondate], h.[dfeta_extensionlength], h.[dfeta_extensionlengthunit], h.[dfeta_inductionexemptionreason], h.[dfeta_inductionstatus], h.[dfeta_name], h.[dfeta_numeracypassdate], h.[dfeta_outcome], h.[dfeta_outcomedate], h.[dfeta_personid], h.[dfeta_personid_entitytype], h.[dfeta_personidname], h.[dfeta_personidyominame], h.[dfeta_requestedbyid], h.[dfeta_requestedbyid_entitytype], h.[dfeta_requestedbyidname], h.[dfeta_requestedbyidyominame], h.[dfeta_startdate], h.[dfeta_transitionarrangementseligible], h.[importsequencenumber], h.[modifiedby], h.[modifiedby_entitytype], h.[modifiedbyname], h.[modifiedbyyominame], h.[modifiedon], h.[modifiedonbehalfby], h.[modifiedonbehalfby_entitytype], h.[modifiedonbehalfbyname], h.[modifiedonbehalfbyyominame], h.[overriddencreatedon], h.[ownerid], h.[ownerid_entitytype], h.[owneridname], h.[owneridtype], h.[owneridyominame], h.[owningbusinessunit], h.[owningbusinessunit_entitytype], h.[owningbusinessunitname], h.[owningteam], h.[owningteam_entitytype], h.[owninguser], h.[owninguser_entitytype], h.[statecode], h.[statuscode], h.[timezoneruleversionnumber], h.[utcconversiontimezonecode], h.[versionnumber] + 1, CASE WHEN h.[ValidFromUtc] > @now THEN h.[ValidFromUtc] ELSE @now END, NULL, 1 FROM [dbo].[dfeta_induction_history] AS h
WHERE h.[versionnumber] = (SELECT MAX(m.[versionnumber]) FROM [dbo].[dfeta_induction_history] AS m WHERE m.[Id] = h.[Id])
  AND h.[IsDeleted] = 0
  AND NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction__reseed] AS t WHERE t.[Id] = h.[Id]);

-- history: the swap's chain
UPDATE h SET [ValidToUtc] = (SELECT n.[ValidFromUtc] FROM [dbo].[dfeta_induction_history] AS n WHERE n.[Id] = h.[Id] AND n.[versionnumber] = (SELECT MIN(m.[versionnumber]) FROM [dbo].[dfeta_induction_history] AS m WHERE m.[Id] = h.[Id] AND m.[versionnumber] > h.[versionnumber])) FROM [dbo].[dfeta_induction_history] AS h
WHERE h.[Id] IN (SELECT o.[Id] FROM [dbo].[dfeta_induction_history] AS o WHERE o.[ValidToUtc] IS NULL GROUP BY o.[Id] HAVING COUNT(*) > 1) AND EXISTS (SELECT h.[ValidToUtc] EXCEPT SELECT (SELECT n.[ValidFromUtc] FROM [dbo].[dfeta_induction_history] AS n WHERE n.[Id] = h.[Id] AND n.[versionnumber] = (SELECT MIN(m.[versionnumber]) FROM [dbo].[dfeta_induction_history] AS m WHERE m.[Id] = h.[Id] AND m.[versionnumber] > h.[versionnumber])));

-- history: prune a batch
DELETE h FROM [dbo].[dfeta_induction_history] AS h WHERE EXISTS (SELECT 1 FROM (SELECT TOP (@limit) o.[Id], o.[versionnumber] FROM [dbo].[dfeta_induction_history] AS o WHERE o.[ValidToUtc] < @cutoff) AS p WHERE p.[Id] = h.[Id] AND p.[versionnumber] = h.[versionnumber]);

-- history: reconciliation check
SELECT (SELECT COUNT_BIG(*) FROM (SELECT v.[Id] FROM [dbo].[dfeta_induction_history] AS v GROUP BY v.[Id] HAVING SUM(CASE WHEN v.[ValidToUtc] IS NULL THEN 1 ELSE 0 END) <> 1) AS x), (SELECT COUNT_BIG(*) FROM [dbo].[dfeta_induction_history] AS v WHERE EXISTS (SELECT v.[ValidToUtc] EXCEPT SELECT (SELECT n.[ValidFromUtc] FROM [dbo].[dfeta_induction_history] AS n WHERE n.[Id] = v.[Id] AND n.[versionnumber] = (SELECT MIN(m.[versionnumber]) FROM [dbo].[dfeta_induction_history] AS m WHERE m.[Id] = v.[Id] AND m.[versionnumber] > v.[versionnumber])))), (SELECT COUNT_BIG(*) FROM [dbo].[dfeta_induction] AS t WHERE NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction_history] AS v WHERE v.[Id] = t.[Id] AND v.[ValidToUtc] IS NULL AND v.[versionnumber] = t.[versionnumber] AND v.[IsDeleted] = 0));

-- history: a retyped column keeps its old values
EXEC sp_rename N'[dbo].[dfeta_induction_history].[dfeta_name]', N'dfeta_name__before_20261202000000', N'COLUMN';

