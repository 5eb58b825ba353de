CREATE TABLE etl.raw_pages (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id           bigint NOT NULL,
    dataset          text NOT NULL,
    waba_id          text NOT NULL,
    window_start     date NOT NULL,
    window_end       date NOT NULL,
    page             int NOT NULL,
    path             text NOT NULL UNIQUE,
    sha256           text NOT NULL,
    raw_bytes        bigint NOT NULL,
    compressed_bytes bigint NOT NULL,
    http_status      int,
    fetched_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX raw_pages_slice_idx ON etl.raw_pages (dataset, waba_id, window_start);
CREATE INDEX raw_pages_run_idx ON etl.raw_pages (run_id);

COMMENT ON TABLE etl.raw_pages IS 'Manifest of the raw archive: one row per archived API response page; replay reads the archive through it.';
COMMENT ON COLUMN etl.raw_pages.id IS 'Row identifier.';
COMMENT ON COLUMN etl.raw_pages.run_id IS 'The run (etl.runs) that fetched the page.';
COMMENT ON COLUMN etl.raw_pages.dataset IS 'Dataset: pricing, templates, catalog, ….';
COMMENT ON COLUMN etl.raw_pages.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN etl.raw_pages.window_start IS 'First day of the requested window (also the date folder in the archive path).';
COMMENT ON COLUMN etl.raw_pages.window_end IS 'Last day of the requested window.';
COMMENT ON COLUMN etl.raw_pages.page IS 'Page sequence number within the request, from 1.';
COMMENT ON COLUMN etl.raw_pages.path IS 'Archive path relative to archive.dir: <dataset>/waba=<id>/<date>/<run_id>-<seq>.json.gz.';
COMMENT ON COLUMN etl.raw_pages.sha256 IS 'Hex sha256 of the uncompressed response body; replay verifies it.';
COMMENT ON COLUMN etl.raw_pages.raw_bytes IS 'Size of the uncompressed body in bytes.';
COMMENT ON COLUMN etl.raw_pages.compressed_bytes IS 'Size of the gzip file in bytes.';
COMMENT ON COLUMN etl.raw_pages.http_status IS 'HTTP status of the response.';
COMMENT ON COLUMN etl.raw_pages.fetched_at IS 'When the response was received.';
