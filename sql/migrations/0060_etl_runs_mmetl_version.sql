-- Which mmetl ran: every run records the binary's version and source revision, as `mmetl --version`
-- prints it, so a change in the numbers can be traced to the release that made it.
-- Runs recorded before this migration keep NULL.
ALTER TABLE etl.runs ADD COLUMN mmetl_version text;

COMMENT ON COLUMN etl.runs.mmetl_version IS 'The mmetl that ran: version and source revision as `mmetl --version` prints them (0.1.0 (fb784b3)); NULL for runs recorded before it was kept.';
