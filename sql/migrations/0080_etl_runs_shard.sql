-- Sharded runs: `mmetl run|backfill --shard K/N` records which shard a run was, so `status` shows
-- each shard's last run and `mmetl transform` finds the days the shards loaded.
ALTER TABLE etl.runs ADD COLUMN shard text
    CONSTRAINT runs_shard_check CHECK (shard IS NULL OR shard ~ '^[1-9][0-9]*/[1-9][0-9]*$');
CREATE INDEX runs_pipeline_shard_idx ON etl.runs (pipeline, shard, run_id DESC) WHERE shard IS NOT NULL;

COMMENT ON COLUMN etl.runs.shard IS 'K/N when the run was shard K of N (--shard); NULL for an unsharded run. A sharded run leaves the transforms to `mmetl transform`.';
