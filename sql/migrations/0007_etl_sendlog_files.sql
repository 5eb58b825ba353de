CREATE TABLE etl.sendlog_files (
    sha256    text PRIMARY KEY,
    path      text NOT NULL,
    lines     bigint NOT NULL DEFAULT 0,
    loaded    bigint NOT NULL DEFAULT 0,
    rejected  bigint NOT NULL DEFAULT 0,
    loaded_at timestamptz NOT NULL DEFAULT now(),
    run_id    bigint
);

COMMENT ON TABLE etl.sendlog_files IS 'Send-log files already loaded, by content hash: loading the same bytes again changes nothing.';
COMMENT ON COLUMN etl.sendlog_files.sha256 IS 'Hex sha256 of the file''s bytes as given (compressed if gzip).';
COMMENT ON COLUMN etl.sendlog_files.path IS 'Path the file was loaded from (- for stdin).';
COMMENT ON COLUMN etl.sendlog_files.lines IS 'Lines (records) read.';
COMMENT ON COLUMN etl.sendlog_files.loaded IS 'Records loaded.';
COMMENT ON COLUMN etl.sendlog_files.rejected IS 'Records rejected into etl.sendlog_rejects.';
COMMENT ON COLUMN etl.sendlog_files.loaded_at IS 'When the file was loaded.';
COMMENT ON COLUMN etl.sendlog_files.run_id IS 'The run (etl.runs) that loaded it.';

CREATE TABLE etl.sendlog_rejects (
    sha256 text NOT NULL,
    path   text NOT NULL,
    line   bigint NOT NULL,
    reason text NOT NULL,
    raw    text,
    PRIMARY KEY (sha256, line)
);

-- Keeps rejected lines bounded whatever the loader sends.
CREATE FUNCTION etl.truncate_reject_raw() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.raw := left(NEW.raw, 1000);
    RETURN NEW;
END
$$;
CREATE TRIGGER sendlog_rejects_truncate_raw
    BEFORE INSERT OR UPDATE OF raw ON etl.sendlog_rejects
    FOR EACH ROW EXECUTE FUNCTION etl.truncate_reject_raw();

COMMENT ON FUNCTION etl.truncate_reject_raw() IS 'Trigger function: cuts etl.sendlog_rejects.raw to 1000 characters.';
COMMENT ON TABLE etl.sendlog_rejects IS 'Send-log lines that could not be loaded, with the reason; the good lines of the same file still load.';
COMMENT ON COLUMN etl.sendlog_rejects.sha256 IS 'Hex sha256 of the file (etl.sendlog_files.sha256).';
COMMENT ON COLUMN etl.sendlog_rejects.path IS 'Path the file was loaded from.';
COMMENT ON COLUMN etl.sendlog_rejects.line IS 'Line number in the file, from 1 (CSV: counting the header).';
COMMENT ON COLUMN etl.sendlog_rejects.reason IS 'Why the line was rejected.';
COMMENT ON COLUMN etl.sendlog_rejects.raw IS 'The line as read, cut to 1000 characters; recipients are masked by the loader.';
