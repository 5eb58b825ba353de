-- Transforms are SQL the loader runs after every load: like migrations, they are checksummed.
-- `mmetl migrate` registers each file of sql/transforms; a run refuses a file whose bytes differ.
CREATE TABLE etl.transform_checksums (
    name          text PRIMARY KEY,
    checksum      text NOT NULL,
    registered_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE etl.transform_checksums IS 'sha256 of each sql/transforms file as `mmetl migrate` last registered it; runs refuse a transform whose bytes differ.';
COMMENT ON COLUMN etl.transform_checksums.name IS 'File name in sql/transforms, e.g. 10_fact_sends_daily.sql.';
COMMENT ON COLUMN etl.transform_checksums.checksum IS 'Lower-case hex sha256 of the file''s bytes (equals sha256sum).';
COMMENT ON COLUMN etl.transform_checksums.registered_at IS 'When mmetl migrate registered this version of the file.';
