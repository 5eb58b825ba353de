-- Roles are cluster-global: create them only when missing. Several databases of one cluster may
-- migrate at the same moment (tests), so a concurrent creation is tolerated too.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mmetl_loader') THEN
        BEGIN
            CREATE ROLE mmetl_loader NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mmetl_analyst') THEN
        BEGIN
            CREATE ROLE mmetl_analyst NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

-- mmetl_loader writes all four schemas (and may create scratch tables in staging).
GRANT USAGE ON SCHEMA mm, sendlog, etl, staging TO mmetl_loader;
GRANT CREATE ON SCHEMA staging TO mmetl_loader;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA mm, sendlog, etl, staging TO mmetl_loader;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA mm, sendlog, etl, staging TO mmetl_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA mm, sendlog, etl, staging
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON TABLES TO mmetl_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA mm, sendlog, etl, staging
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO mmetl_loader;
ALTER DEFAULT PRIVILEGES IN SCHEMA mm, sendlog, etl, staging
    GRANT EXECUTE ON FUNCTIONS TO mmetl_loader;

-- mmetl_analyst reads mm only: its tables and views now and later (default privileges apply to
-- objects created by the role running the migrations). Nothing on sendlog, etl or staging.
GRANT USAGE ON SCHEMA mm TO mmetl_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA mm TO mmetl_analyst;
ALTER DEFAULT PRIVILEGES IN SCHEMA mm GRANT SELECT ON TABLES TO mmetl_analyst;
