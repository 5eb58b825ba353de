-- The send-log load refreshes the planner's statistics of sendlog.messages and sendlog.statuses after
-- a load that grew the messages by a tenth, so the transforms that follow plan with the tables' real
-- size. PostgreSQL 15 lets only a table's owner ANALYZE it: under a login granted only mmetl_loader
-- the refresh was skipped (with a warning). This function runs it as its owner (the role running
-- the migrations, which owns the tables) and does nothing else: a fixed statement, no argument.
CREATE FUNCTION etl.analyze_sendlog() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
SET default_statistics_target = 10
AS $$
BEGIN
    ANALYZE sendlog.messages, sendlog.statuses;
END
$$;

REVOKE ALL ON FUNCTION etl.analyze_sendlog() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION etl.analyze_sendlog() TO mmetl_loader;

COMMENT ON FUNCTION etl.analyze_sendlog() IS 'ANALYZE of sendlog.messages and sendlog.statuses from a 3,000-row sample (default_statistics_target 10), as the tables'' owner: the send-log load calls it after a load that grew the messages by a tenth.';
