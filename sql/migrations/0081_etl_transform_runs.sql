-- The transform ledger: sharded runs skip the cross-WABA transforms; `mmetl transform` runs them
-- once for every day the shards loaded since the last transform, and records what it covered.
CREATE TABLE etl.transform_runs (
    transform_id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id         bigint NOT NULL REFERENCES etl.runs (run_id) ON DELETE CASCADE,
    pipeline       text NOT NULL,
    from_day       date NOT NULL,
    to_day         date NOT NULL,
    through_run_id bigint NOT NULL,
    source_runs    bigint[] NOT NULL,
    seconds        jsonb,
    finished_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT transform_runs_range_check CHECK (from_day <= to_day)
);
CREATE INDEX transform_runs_pipeline_idx ON etl.transform_runs (pipeline, through_run_id DESC);

COMMENT ON TABLE etl.transform_runs IS 'One row per completed `mmetl transform`: the WABA-local days it transformed and the sharded runs whose loads it covered.';
COMMENT ON COLUMN etl.transform_runs.transform_id IS 'Identifier of the transform.';
COMMENT ON COLUMN etl.transform_runs.run_id IS 'The `mmetl transform` run (etl.runs) that did it.';
COMMENT ON COLUMN etl.transform_runs.pipeline IS 'Pipeline name.';
COMMENT ON COLUMN etl.transform_runs.from_day IS 'First WABA-local day transformed.';
COMMENT ON COLUMN etl.transform_runs.to_day IS 'Last WABA-local day transformed (inclusive).';
COMMENT ON COLUMN etl.transform_runs.through_run_id IS 'Every sharded run of the pipeline up to this run_id is covered; the next transform starts after it.';
COMMENT ON COLUMN etl.transform_runs.source_runs IS 'The sharded runs whose loaded slices this transform covered.';
COMMENT ON COLUMN etl.transform_runs.seconds IS 'Seconds per transform file, as JSON.';
COMMENT ON COLUMN etl.transform_runs.finished_at IS 'When the transform committed.';
