-- Least-privilege roles for ReportingSync on PostgreSQL (hand-written; tested by LeastPrivilegeTests).
--
--   psql -v data_schema=public -v state_schema=reportingsync -f sql/postgresql/roles.sql
--
-- reportingsync_writer: owns the replicated tables and the state tables; may create, alter and drop tables in the
--   data schema and the state schema only (re-seeds create <table>__reseed and apply it to the live table; drift adds,
--   widens and retypes columns, keeping views on them: a view owned by another role is kept only when that role is
--   granted to the writer, see docs/analyst-objects.md; a seed that starts over TRUNCATEs its table, which the owner
--   may do).
-- reportingsync_reader: analysts; SELECT on both schemas, including tables the writer creates later.
--
-- Then give the worker a login that acts as the writer, so everything it creates is owned by the writer role:
--   CREATE ROLE reportingsync LOGIN PASSWORD '…' IN ROLE reportingsync_writer;
--   ALTER ROLE reportingsync SET role = 'reportingsync_writer';
-- and analysts:  GRANT reportingsync_reader TO alice;

\set ON_ERROR_STOP on
\if :{?data_schema}
\else
  \set data_schema public
\endif
\if :{?state_schema}
\else
  \set state_schema reportingsync
\endif

DO $$ BEGIN CREATE ROLE reportingsync_writer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE reportingsync_reader NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;

CREATE SCHEMA IF NOT EXISTS :"data_schema";
CREATE SCHEMA IF NOT EXISTS :"state_schema" AUTHORIZATION reportingsync_writer;

GRANT USAGE, CREATE ON SCHEMA :"data_schema" TO reportingsync_writer;
GRANT USAGE, CREATE ON SCHEMA :"state_schema" TO reportingsync_writer;
GRANT USAGE ON SCHEMA :"data_schema" TO reportingsync_reader;
GRANT USAGE ON SCHEMA :"state_schema" TO reportingsync_reader;

-- Tables that exist already (a migration from an earlier load) and every table the writer creates from now on.
GRANT SELECT ON ALL TABLES IN SCHEMA :"data_schema" TO reportingsync_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA :"state_schema" TO reportingsync_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE reportingsync_writer IN SCHEMA :"data_schema" GRANT SELECT ON TABLES TO reportingsync_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE reportingsync_writer IN SCHEMA :"state_schema" GRANT SELECT ON TABLES TO reportingsync_reader;
