-- The dbt package's schema (dbt/): models build into mm_dbt as mmetl_dbt; analysts read them.
--
-- mmetl_dbt (NOLOGIN, like the other roles): reads every mm table and view (as a member of
-- mmetl_analyst) and creates in mm_dbt. A login that runs dbt is granted mmetl_dbt and the dbt
-- profile sets `role: mmetl_dbt`, so what dbt builds belongs to mmetl_dbt and the default
-- privileges below give mmetl_analyst SELECT on it. mmetl_dbt cannot write mm, etl, sendlog or staging.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mmetl_dbt') THEN
        BEGIN
            CREATE ROLE mmetl_dbt NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL;
        END;
    END IF;
END
$$;

CREATE SCHEMA IF NOT EXISTS mm_dbt;
COMMENT ON SCHEMA mm_dbt IS 'Models of the dbt package (dbt/ in the repository), built by the role mmetl_dbt; mmetl_analyst reads them.';

-- Membership is cluster-global like the roles; databases migrating at once may race on it.
DO $$
BEGIN
    IF NOT pg_has_role('mmetl_dbt', 'mmetl_analyst', 'MEMBER') THEN
        BEGIN
            GRANT mmetl_analyst TO mmetl_dbt;
        EXCEPTION WHEN unique_violation OR duplicate_object OR internal_error THEN
            NULL;
        END;
    END IF;
END
$$;
GRANT USAGE, CREATE ON SCHEMA mm_dbt TO mmetl_dbt;
GRANT USAGE ON SCHEMA mm_dbt TO mmetl_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA mm_dbt TO mmetl_analyst;
ALTER DEFAULT PRIVILEGES FOR ROLE mmetl_dbt IN SCHEMA mm_dbt GRANT SELECT ON TABLES TO mmetl_analyst;
