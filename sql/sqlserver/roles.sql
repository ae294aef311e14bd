-- Least-privilege roles for ReportingSync on SQL Server / Azure SQL (hand-written; not run in CI, which has no SQL
-- Server). Replace dbo / reportingsync if ReportingSync:Target:Schema / StateSchema differ.
--
-- reportingsync_writer: creates, alters and drops tables and views in the data schema and the state schema only, and
--   reads/writes their rows (SqlBulkCopy into session temp tables needs no extra permission).
-- reportingsync_reader: analysts; SELECT on both schemas.
--
-- Then:  CREATE USER [reportingsync] FROM EXTERNAL PROVIDER;   -- managed identity / Entra app
--        ALTER ROLE reportingsync_writer ADD MEMBER [reportingsync];
--        ALTER ROLE reportingsync_reader ADD MEMBER [analysts];

IF DATABASE_PRINCIPAL_ID(N'reportingsync_writer') IS NULL CREATE ROLE reportingsync_writer;
IF DATABASE_PRINCIPAL_ID(N'reportingsync_reader') IS NULL CREATE ROLE reportingsync_reader;
GO
IF SCHEMA_ID(N'reportingsync') IS NULL EXEC(N'CREATE SCHEMA [reportingsync] AUTHORIZATION [dbo]');
GO
GRANT CREATE TABLE, CREATE VIEW TO reportingsync_writer;
GRANT ALTER, SELECT, INSERT, UPDATE, DELETE, REFERENCES ON SCHEMA::[dbo] TO reportingsync_writer;
GRANT ALTER, SELECT, INSERT, UPDATE, DELETE, REFERENCES ON SCHEMA::[reportingsync] TO reportingsync_writer;
GRANT SELECT ON SCHEMA::[dbo] TO reportingsync_reader;
GRANT SELECT ON SCHEMA::[reportingsync] TO reportingsync_reader;
GO
