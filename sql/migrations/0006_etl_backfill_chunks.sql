CREATE TABLE etl.backfill_chunks (
    pipeline     text NOT NULL,
    backfill_key text NOT NULL,
    waba_id      text NOT NULL,
    dataset      text NOT NULL,
    chunk_start  date NOT NULL,
    chunk_end    date NOT NULL,
    status       text NOT NULL DEFAULT 'pending'
        CONSTRAINT backfill_chunks_status_check CHECK (status IN ('pending', 'running', 'succeeded', 'failed', 'skipped')),
    run_id       bigint,
    error        text,
    finished_at  timestamptz,
    PRIMARY KEY (backfill_key, waba_id, dataset, chunk_start)
);

COMMENT ON TABLE etl.backfill_chunks IS 'The resumable backfill ledger: one row per chunk of a backfill; re-running the same backfill skips succeeded chunks.';
COMMENT ON COLUMN etl.backfill_chunks.pipeline IS 'Pipeline name.';
COMMENT ON COLUMN etl.backfill_chunks.backfill_key IS 'Identifies one backfill request (pipeline, range and filters), so the same command resumes it.';
COMMENT ON COLUMN etl.backfill_chunks.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN etl.backfill_chunks.dataset IS 'Dataset: pricing, templates, catalog, ….';
COMMENT ON COLUMN etl.backfill_chunks.chunk_start IS 'First day of the chunk (inclusive).';
COMMENT ON COLUMN etl.backfill_chunks.chunk_end IS 'Last day of the chunk (inclusive).';
COMMENT ON COLUMN etl.backfill_chunks.status IS 'pending, running, succeeded, failed or skipped.';
COMMENT ON COLUMN etl.backfill_chunks.run_id IS 'The run (etl.runs) that last worked on the chunk.';
COMMENT ON COLUMN etl.backfill_chunks.error IS 'Why the chunk last failed.';
COMMENT ON COLUMN etl.backfill_chunks.finished_at IS 'When the chunk last finished.';
