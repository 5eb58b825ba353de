-- The four schemas. `mm` is for analysts; the others are mmetl's own.
CREATE SCHEMA IF NOT EXISTS mm;
CREATE SCHEMA IF NOT EXISTS sendlog;
CREATE SCHEMA IF NOT EXISTS etl;
CREATE SCHEMA IF NOT EXISTS staging;

COMMENT ON SCHEMA mm IS 'Analyst-facing WhatsApp Marketing Messages analytics: dimensions, facts (one row per natural key, latest fetch wins) and views. Readable by mmetl_analyst.';
COMMENT ON SCHEMA sendlog IS 'Send-log records loaded by mmetl sendlog load (recipients only as country and keyed hash).';
COMMENT ON SCHEMA etl IS 'mmetl bookkeeping: runs, run items, watermarks, raw-page manifest, backfill ledger, send-log files, fact revisions, schema migrations.';
COMMENT ON SCHEMA staging IS 'Scratch tables mmetl COPYs into before merging into mm; contents are transient.';
