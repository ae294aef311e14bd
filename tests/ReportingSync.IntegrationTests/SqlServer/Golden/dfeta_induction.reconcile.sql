-- key stage
IF OBJECT_ID(N'tempdb..#reportingsync_recon_keys') IS NOT NULL DROP TABLE [#reportingsync_recon_keys];
CREATE TABLE [#reportingsync_recon_keys] ([Id] uniqueidentifier NOT NULL, [Version] bigint NOT NULL, PRIMARY KEY CLUSTERED ([Id]) WITH (IGNORE_DUP_KEY = ON));

-- soft deletes: False
-- suspects
SELECT TOP (@limit) d.[Id], d.[Kind], d.[SourceVersion], d.[TargetVersion] FROM (
SELECT k.[Id] AS [Id], 'Missing' AS [Kind], k.[Version] AS [SourceVersion], CAST(NULL AS bigint) AS [TargetVersion] FROM (SELECT [Id], MAX([Version]) AS [Version] FROM [#reportingsync_recon_keys] GROUP BY [Id]) AS k WHERE NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction] AS t WHERE t.[Id] = k.[Id])
UNION ALL
SELECT t.[Id], 'Extra', CAST(NULL AS bigint), t.[versionnumber] FROM [dbo].[dfeta_induction] AS t WHERE NOT EXISTS (SELECT 1 FROM [#reportingsync_recon_keys] AS s WHERE s.[Id] = t.[Id])
UNION ALL
SELECT k.[Id], 'Stale', k.[Version], t.[versionnumber] FROM (SELECT [Id], MAX([Version]) AS [Version] FROM [#reportingsync_recon_keys] GROUP BY [Id]) AS k JOIN [dbo].[dfeta_induction] AS t ON t.[Id] = k.[Id] WHERE t.[versionnumber] IS NULL OR t.[versionnumber] <> k.[Version]
) AS d ORDER BY d.[Id];

-- counts
SELECT COUNT(DISTINCT [Id]) FROM [#reportingsync_recon_keys];
SELECT COUNT(*) FROM [dbo].[dfeta_induction];
SELECT d.[Kind], COUNT(*) FROM (
SELECT k.[Id] AS [Id], 'Missing' AS [Kind], k.[Version] AS [SourceVersion], CAST(NULL AS bigint) AS [TargetVersion] FROM (SELECT [Id], MAX([Version]) AS [Version] FROM [#reportingsync_recon_keys] GROUP BY [Id]) AS k WHERE NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction] AS t WHERE t.[Id] = k.[Id])
UNION ALL
SELECT t.[Id], 'Extra', CAST(NULL AS bigint), t.[versionnumber] FROM [dbo].[dfeta_induction] AS t WHERE NOT EXISTS (SELECT 1 FROM [#reportingsync_recon_keys] AS s WHERE s.[Id] = t.[Id])
UNION ALL
SELECT k.[Id], 'Stale', k.[Version], t.[versionnumber] FROM (SELECT [Id], MAX([Version]) AS [Version] FROM [#reportingsync_recon_keys] GROUP BY [Id]) AS k JOIN [dbo].[dfeta_induction] AS t ON t.[Id] = k.[Id] WHERE t.[versionnumber] IS NULL OR t.[versionnumber] <> k.[Version]
) AS d GROUP BY d.[Kind];

-- rows by id
SELECT [Id], [createdby], [createdby_entitytype], [createdbyname], [createdbyyominame], [createdon], [createdonbehalfby], [createdonbehalfby_entitytype], [createdonbehalfbyname], [createdonbehalfbyyominame], [dfeta_appealreceived], [dfeta_appealreceivedon], [dfeta_certificatenumber], [dfeta_completiondate], [dfeta_extensionlength], [dfeta_extensionlengthunit], [dfeta_inductionexemptionreason], [dfeta_inductionstatus], [dfeta_name], [dfeta_numeracypassdate], [dfeta_outcome], [dfeta_outcomedate], [dfeta_personid], [dfeta_personid_entitytype], [dfeta_personidname], [dfeta_personidyominame], [dfeta_requestedbyid], [dfeta_requestedbyid_entitytype], [dfeta_requestedbyidname], [dfeta_requestedbyidyominame], [dfeta_startdate], [dfeta_transitionarrangementseligible], [importsequencenumber], [modifiedby], [modifiedby_entitytype], [modifiedbyname], [modifiedbyyominame], [modifiedon], [modifiedonbehalfby], [modifiedonbehalfby_entitytype], [modifiedonbehalfbyname], [modifiedonbehalfbyyominame], [overriddencreatedon], [ownerid], [ownerid_entitytype], [owneridname], [owneridtype], [owneridyominame], [owningbusinessunit], [owningbusinessunit_entitytype], [owningbusinessunitname], [owningteam], [owningteam_entitytype], [owninguser], [owninguser_entitytype], [statecode], [statuscode], [timezoneruleversionnumber], [utcconversiontimezonecode], [versionnumber] FROM [dbo].[dfeta_induction] WHERE [Id] IN (SELECT [Id] FROM [#reportingsync_ids]);

-- soft deletes: True
-- suspects
SELECT TOP (@limit) d.[Id], d.[Kind], d.[SourceVersion], d.[TargetVersion] FROM (
SELECT k.[Id] AS [Id], 'Missing' AS [Kind], k.[Version] AS [SourceVersion], CAST(NULL AS bigint) AS [TargetVersion] FROM (SELECT [Id], MAX([Version]) AS [Version] FROM [#reportingsync_recon_keys] GROUP BY [Id]) AS k WHERE NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction] AS t WHERE t.[Id] = k.[Id] AND t.[IsDeleted] = 0)
UNION ALL
SELECT t.[Id], 'Extra', CAST(NULL AS bigint), t.[versionnumber] FROM [dbo].[dfeta_induction] AS t WHERE t.[IsDeleted] = 0 AND NOT EXISTS (SELECT 1 FROM [#reportingsync_recon_keys] AS s WHERE s.[Id] = t.[Id])
UNION ALL
SELECT k.[Id], 'Stale', k.[Version], t.[versionnumber] FROM (SELECT [Id], MAX([Version]) AS [Version] FROM [#reportingsync_recon_keys] GROUP BY [Id]) AS k JOIN [dbo].[dfeta_induction] AS t ON t.[Id] = k.[Id] AND t.[IsDeleted] = 0 WHERE t.[versionnumber] IS NULL OR t.[versionnumber] <> k.[Version]
) AS d ORDER BY d.[Id];

-- counts
SELECT COUNT(DISTINCT [Id]) FROM [#reportingsync_recon_keys];
SELECT COUNT(*) FROM [dbo].[dfeta_induction] WHERE [IsDeleted] = 0;
SELECT d.[Kind], COUNT(*) FROM (
SELECT k.[Id] AS [Id], 'Missing' AS [Kind], k.[Version] AS [SourceVersion], CAST(NULL AS bigint) AS [TargetVersion] FROM (SELECT [Id], MAX([Version]) AS [Version] FROM [#reportingsync_recon_keys] GROUP BY [Id]) AS k WHERE NOT EXISTS (SELECT 1 FROM [dbo].[dfeta_induction] AS t WHERE t.[Id] = k.[Id] AND t.[IsDeleted] = 0)
UNION ALL
SELECT t.[Id], 'Extra', CAST(NULL AS bigint), t.[versionnumber] FROM [dbo].[dfeta_induction] AS t WHERE t.[IsDeleted] = 0 AND NOT EXISTS (SELECT 1 FROM [#reportingsync_recon_keys] AS s WHERE s.[Id] = t.[Id])
UNION ALL
SELECT k.[Id], 'Stale', k.[Version], t.[versionnumber] FROM (SELECT [Id], MAX([Version]) AS [Version] FROM [#reportingsync_recon_keys] GROUP BY [Id]) AS k JOIN [dbo].[dfeta_induction] AS t ON t.[Id] = k.[Id] AND t.[IsDeleted] = 0 WHERE t.[versionnumber] IS NULL OR t.[versionnumber] <> k.[Version]
) AS d GROUP BY d.[Kind];

-- rows by id
SELECT [Id], [createdby], [createdby_entitytype], [createdbyname], [createdbyyominame], [createdon], [createdonbehalfby], [createdonbehalfby_entitytype], [createdonbehalfbyname], [createdonbehalfbyyominame], [dfeta_appealreceived], [dfeta_appealreceivedon], [dfeta_certificatenumber], [dfeta_completiondate], [dfeta_extensionlength], [dfeta_extensionlengthunit], [dfeta_inductionexemptionreason], [dfeta_inductionstatus], [dfeta_name], [dfeta_numeracypassdate], [dfeta_outcome], [dfeta_outcomedate], [dfeta_personid], [dfeta_personid_entitytype], [dfeta_personidname], [dfeta_personidyominame], [dfeta_requestedbyid], [dfeta_requestedbyid_entitytype], [dfeta_requestedbyidname], [dfeta_requestedbyidyominame], [dfeta_startdate], [dfeta_transitionarrangementseligible], [importsequencenumber], [modifiedby], [modifiedby_entitytype], [modifiedbyname], [modifiedbyyominame], [modifiedon], [modifiedonbehalfby], [modifiedonbehalfby_entitytype], [modifiedonbehalfbyname], [modifiedonbehalfbyyominame], [overriddencreatedon], [ownerid], [ownerid_entitytype], [owneridname], [owneridtype], [owneridyominame], [owningbusinessunit], [owningbusinessunit_entitytype], [owningbusinessunitname], [owningteam], [owningteam_entitytype], [owninguser], [owninguser_entitytype], [statecode], [statuscode], [timezoneruleversionnumber], [utcconversiontimezonecode], [versionnumber] FROM [dbo].[dfeta_induction] WHERE [Id] IN (SELECT [Id] FROM [#reportingsync_ids]) AND [IsDeleted] = 0;

-- runs and findings
INSERT INTO [reportingsync].[ReconciliationRun] ([EntityName], [StartedUtc], [FinishedUtc], [SourceRows], [TargetRows], [Missing], [Extra], [Stale], [ColumnDiffs], [Repaired], [Status], [Detail]) OUTPUT inserted.[Id] VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8, @p9, @p10, @p11);
UPDATE [reportingsync].[ReconciliationRun] SET [EntityName] = @p0, [StartedUtc] = @p1, [FinishedUtc] = @p2, [SourceRows] = @p3, [TargetRows] = @p4, [Missing] = @p5, [Extra] = @p6, [Stale] = @p7, [ColumnDiffs] = @p8, [Repaired] = @p9, [Status] = @p10, [Detail] = @p11 WHERE [Id] = @id;
INSERT INTO [reportingsync].[ReconciliationFinding] ([RunId], [EntityName], [RecordId], [Kind], [SourceVersion], [TargetVersion], [ColumnName]) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6);
SELECT TOP (@limit) [Id], [EntityName], [StartedUtc], [FinishedUtc], [SourceRows], [TargetRows], [Missing], [Extra], [Stale], [ColumnDiffs], [Repaired], [Status], [Detail] FROM [reportingsync].[ReconciliationRun] WHERE [EntityName] = @key ORDER BY [Id] DESC;
-- key stage drop
IF OBJECT_ID(N'tempdb..#reportingsync_recon_keys') IS NOT NULL DROP TABLE [#reportingsync_recon_keys];
