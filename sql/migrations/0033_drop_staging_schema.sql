-- The staging schema was never used: loads COPY into temporary tables of their own session
-- (pg_temp), which vanish with it and need no grant.
REVOKE ALL ON SCHEMA staging FROM mmetl_loader;
DROP SCHEMA staging;
