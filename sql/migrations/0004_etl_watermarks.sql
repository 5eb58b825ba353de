CREATE TABLE etl.watermarks (
    pipeline   text NOT NULL,
    waba_id    text NOT NULL,
    dataset    text NOT NULL,
    watermark  date NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    run_id     bigint,
    PRIMARY KEY (pipeline, waba_id, dataset)
);

COMMENT ON TABLE etl.watermarks IS 'How far the nightly run has loaded each WABA × dataset of a pipeline. Moves forward only, in the same transaction as the data it covers; backfills never move it.';
COMMENT ON COLUMN etl.watermarks.pipeline IS 'Pipeline name.';
COMMENT ON COLUMN etl.watermarks.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN etl.watermarks.dataset IS 'Dataset: pricing, templates, catalog, ….';
COMMENT ON COLUMN etl.watermarks.watermark IS 'Last day (WABA-local) loaded completely; the next run re-reads from here minus the dataset''s settle_days.';
COMMENT ON COLUMN etl.watermarks.updated_at IS 'When the watermark last moved.';
COMMENT ON COLUMN etl.watermarks.run_id IS 'The run (etl.runs) that last moved it.';
