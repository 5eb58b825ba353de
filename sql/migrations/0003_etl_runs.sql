-- The run ledger: one row per mmetl invocation, one per WABA × dataset × window within it.
CREATE TABLE etl.runs (
    run_id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pipeline              text,
    command               text NOT NULL,
    args                  jsonb NOT NULL DEFAULT '{}'::jsonb,
    as_of                 date,
    status                text NOT NULL DEFAULT 'running'
        CONSTRAINT runs_status_check CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
    exit_code             int,
    started_at            timestamptz NOT NULL DEFAULT now(),
    finished_at           timestamptz,
    api_calls             int NOT NULL DEFAULT 0,
    throttle_waits        int NOT NULL DEFAULT 0,
    throttle_wait_seconds numeric NOT NULL DEFAULT 0,
    bytes_archived        bigint NOT NULL DEFAULT 0,
    rows_loaded           bigint NOT NULL DEFAULT 0,
    diagnostics           jsonb,
    error                 text
);
CREATE INDEX runs_pipeline_started_idx ON etl.runs (pipeline, started_at DESC);

COMMENT ON TABLE etl.runs IS 'One row per mmetl run (run, backfill, replay, sendlog load, …): what was asked, how it ended, and its counters.';
COMMENT ON COLUMN etl.runs.run_id IS 'Run identifier; every row mmetl writes carries the run_id that wrote it.';
COMMENT ON COLUMN etl.runs.pipeline IS 'Pipeline name from the pipeline file (NULL for commands without one).';
COMMENT ON COLUMN etl.runs.command IS 'The mmetl command: run, backfill, replay, sendlog-load, demo, ….';
COMMENT ON COLUMN etl.runs.args IS 'The command''s arguments as JSON (never tokens or secrets).';
COMMENT ON COLUMN etl.runs.as_of IS 'The as-of date the run loaded up to (NULL when not applicable).';
COMMENT ON COLUMN etl.runs.status IS 'running, succeeded, partial (some WABAs/datasets failed, the rest loaded) or failed.';
COMMENT ON COLUMN etl.runs.exit_code IS 'The process exit code (0, 1, 3, 64, 75, 77); NULL while running.';
COMMENT ON COLUMN etl.runs.started_at IS 'When the run started.';
COMMENT ON COLUMN etl.runs.finished_at IS 'When the run finished; NULL while running or if the process died.';
COMMENT ON COLUMN etl.runs.api_calls IS 'Graph API requests made, retries included.';
COMMENT ON COLUMN etl.runs.throttle_waits IS 'Times the run waited because of rate limiting (code 80007/429 or usage headers).';
COMMENT ON COLUMN etl.runs.throttle_wait_seconds IS 'Total seconds spent waiting for rate limits.';
COMMENT ON COLUMN etl.runs.bytes_archived IS 'Compressed bytes written to the raw archive.';
COMMENT ON COLUMN etl.runs.rows_loaded IS 'Fact rows inserted or updated.';
COMMENT ON COLUMN etl.runs.diagnostics IS 'Structured warnings and counters (unknown fields, skipped records, …) as JSON.';
COMMENT ON COLUMN etl.runs.error IS 'The error that failed the run (safe to show: no tokens).';

CREATE TABLE etl.run_items (
    run_id           bigint NOT NULL REFERENCES etl.runs (run_id) ON DELETE CASCADE,
    waba_id          text NOT NULL,
    dataset          text NOT NULL,
    window_start     date NOT NULL,
    window_end       date NOT NULL,
    status           text NOT NULL DEFAULT 'running'
        CONSTRAINT run_items_status_check CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
    attempts         int NOT NULL DEFAULT 0,
    api_calls        int NOT NULL DEFAULT 0,
    pages            int NOT NULL DEFAULT 0,
    rows_inserted    bigint NOT NULL DEFAULT 0,
    rows_updated     bigint NOT NULL DEFAULT 0,
    rows_unchanged   bigint NOT NULL DEFAULT 0,
    revisions        bigint NOT NULL DEFAULT 0,
    bytes_copied     bigint NOT NULL DEFAULT 0,
    seconds          numeric,
    diagnostics      jsonb,
    error            text,
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    PRIMARY KEY (run_id, waba_id, dataset, window_start)
);
CREATE INDEX run_items_waba_dataset_idx ON etl.run_items (waba_id, dataset, window_start);

COMMENT ON TABLE etl.run_items IS 'One row per WABA × dataset × window handled by a run: its outcome and counters.';
COMMENT ON COLUMN etl.run_items.run_id IS 'The run (etl.runs) this item belongs to.';
COMMENT ON COLUMN etl.run_items.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN etl.run_items.dataset IS 'Dataset: pricing, templates, catalog, ….';
COMMENT ON COLUMN etl.run_items.window_start IS 'First day of the window (inclusive).';
COMMENT ON COLUMN etl.run_items.window_end IS 'Last day of the window (inclusive).';
COMMENT ON COLUMN etl.run_items.status IS 'pending, running, succeeded, failed or skipped.';
COMMENT ON COLUMN etl.run_items.attempts IS 'Attempts made (1 when the first try succeeded).';
COMMENT ON COLUMN etl.run_items.api_calls IS 'Graph API requests made for this item, retries included.';
COMMENT ON COLUMN etl.run_items.pages IS 'Response pages fetched (and archived).';
COMMENT ON COLUMN etl.run_items.rows_inserted IS 'Fact rows that did not exist before.';
COMMENT ON COLUMN etl.run_items.rows_updated IS 'Fact rows whose values changed (each change also in etl.fact_revisions).';
COMMENT ON COLUMN etl.run_items.rows_unchanged IS 'Fact rows re-read with identical values.';
COMMENT ON COLUMN etl.run_items.revisions IS 'Revision records written to etl.fact_revisions.';
COMMENT ON COLUMN etl.run_items.bytes_copied IS 'Bytes sent to PostgreSQL with COPY.';
COMMENT ON COLUMN etl.run_items.seconds IS 'Wall-clock seconds spent on the item.';
COMMENT ON COLUMN etl.run_items.diagnostics IS 'Structured warnings for this item as JSON.';
COMMENT ON COLUMN etl.run_items.error IS 'The error that failed the item.';
COMMENT ON COLUMN etl.run_items.started_at IS 'When work on the item started.';
COMMENT ON COLUMN etl.run_items.finished_at IS 'When work on the item finished.';
