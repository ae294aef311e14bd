-- OptionSetMetadata
SELECT [EntityName], [OptionSetName], [Option], [IsUserLocalizedLabel], [LocalizedLabelLanguageCode], [LocalizedLabel] FROM [dbo].[OptionSetMetadata] WHERE [EntityName] IN (@s0, @s1);
INSERT INTO [dbo].[OptionSetMetadata] ([EntityName], [OptionSetName], [Option], [IsUserLocalizedLabel], [LocalizedLabelLanguageCode], [LocalizedLabel]) VALUES (@p0, @p1, @p2, @p3, @p4, @p5);
UPDATE [dbo].[OptionSetMetadata] SET [IsUserLocalizedLabel] = @p3, [LocalizedLabel] = @p5 WHERE [EntityName] = @p0 AND [OptionSetName] = @p1 AND [Option] = @p2 AND [LocalizedLabelLanguageCode] = @p4;
DELETE FROM [dbo].[OptionSetMetadata] WHERE [EntityName] = @p0 AND [OptionSetName] = @p1 AND [Option] = @p2 AND [LocalizedLabelLanguageCode] = @p4;

-- GlobalOptionSetMetadata
SELECT [OptionSetName], [Option], [IsUserLocalizedLabel], [LocalizedLabelLanguageCode], [LocalizedLabel], [GlobalOptionSetName] FROM [dbo].[GlobalOptionSetMetadata] WHERE [OptionSetName] IN (@s0, @s1);
INSERT INTO [dbo].[GlobalOptionSetMetadata] ([OptionSetName], [Option], [IsUserLocalizedLabel], [LocalizedLabelLanguageCode], [LocalizedLabel], [GlobalOptionSetName]) VALUES (@p0, @p1, @p2, @p3, @p4, @p5);
UPDATE [dbo].[GlobalOptionSetMetadata] SET [IsUserLocalizedLabel] = @p2, [LocalizedLabel] = @p4 WHERE [OptionSetName] = @p0 AND [Option] = @p1 AND [LocalizedLabelLanguageCode] = @p3 AND [GlobalOptionSetName] = @p5;
DELETE FROM [dbo].[GlobalOptionSetMetadata] WHERE [OptionSetName] = @p0 AND [Option] = @p1 AND [LocalizedLabelLanguageCode] = @p3 AND [GlobalOptionSetName] = @p5;

-- StateMetadata
SELECT [EntityName], [State], [IsUserLocalizedLabel], [LocalizedLabelLanguageCode], [LocalizedLabel] FROM [dbo].[StateMetadata] WHERE [EntityName] IN (@s0, @s1);
INSERT INTO [dbo].[StateMetadata] ([EntityName], [State], [IsUserLocalizedLabel], [LocalizedLabelLanguageCode], [LocalizedLabel]) VALUES (@p0, @p1, @p2, @p3, @p4);
UPDATE [dbo].[StateMetadata] SET [IsUserLocalizedLabel] = @p2, [LocalizedLabel] = @p4 WHERE [EntityName] = @p0 AND [State] = @p1 AND [LocalizedLabelLanguageCode] = @p3;
DELETE FROM [dbo].[StateMetadata] WHERE [EntityName] = @p0 AND [State] = @p1 AND [LocalizedLabelLanguageCode] = @p3;

-- StatusMetadata
SELECT [EntityName], [State], [Status], [IsUserLocalizedLabel], [LocalizedLabelLanguageCode], [LocalizedLabel] FROM [dbo].[StatusMetadata] WHERE [EntityName] IN (@s0, @s1);
INSERT INTO [dbo].[StatusMetadata] ([EntityName], [State], [Status], [IsUserLocalizedLabel], [LocalizedLabelLanguageCode], [LocalizedLabel]) VALUES (@p0, @p1, @p2, @p3, @p4, @p5);
UPDATE [dbo].[StatusMetadata] SET [State] = @p1, [IsUserLocalizedLabel] = @p3, [LocalizedLabel] = @p5 WHERE [EntityName] = @p0 AND [Status] = @p2 AND [LocalizedLabelLanguageCode] = @p4;
DELETE FROM [dbo].[StatusMetadata] WHERE [EntityName] = @p0 AND [Status] = @p2 AND [LocalizedLabelLanguageCode] = @p4;

-- TargetMetadata
SELECT [EntityName], [AttributeName], [ReferencedEntity], [ReferencedAttribute] FROM [dbo].[TargetMetadata] WHERE [EntityName] IN (@s0, @s1);
INSERT INTO [dbo].[TargetMetadata] ([EntityName], [AttributeName], [ReferencedEntity], [ReferencedAttribute]) VALUES (@p0, @p1, @p2, @p3);
UPDATE [dbo].[TargetMetadata] SET [ReferencedAttribute] = @p3 WHERE [EntityName] = @p0 AND [AttributeName] = @p1 AND [ReferencedEntity] = @p2;
DELETE FROM [dbo].[TargetMetadata] WHERE [EntityName] = @p0 AND [AttributeName] = @p1 AND [ReferencedEntity] = @p2;

-- AttributeMetadata
SELECT [EntityName], [AttributeName], [AttributeType], [AttributeTypeCode], [Version], [Timestamp], [MetadataId], [Precision], [MaxLength] FROM [dbo].[AttributeMetadata] WHERE [EntityName] IN (@s0, @s1);
INSERT INTO [dbo].[AttributeMetadata] ([EntityName], [AttributeName], [AttributeType], [AttributeTypeCode], [Version], [Timestamp], [MetadataId], [Precision], [MaxLength]) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7, @p8);
UPDATE [dbo].[AttributeMetadata] SET [AttributeType] = @p2, [AttributeTypeCode] = @p3, [Version] = @p4, [Timestamp] = @p5, [MetadataId] = @p6, [Precision] = @p7, [MaxLength] = @p8 WHERE [EntityName] = @p0 AND [AttributeName] = @p1;
DELETE FROM [dbo].[AttributeMetadata] WHERE [EntityName] = @p0 AND [AttributeName] = @p1;

