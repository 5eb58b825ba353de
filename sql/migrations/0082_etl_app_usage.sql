-- One rate limit across shards: each shard of a pipeline publishes the app usage (X-App-Usage,
-- shared by every process using the app) it last observed; every shard slows down when the
-- highest recent value passes graph.usage_slowdown_percent.
CREATE TABLE etl.app_usage (
    pipeline    text NOT NULL,
    reporter    text NOT NULL,
    percent     int NOT NULL CONSTRAINT app_usage_percent_check CHECK (percent >= 0),
    observed_at timestamptz NOT NULL,
    PRIMARY KEY (pipeline, reporter)
);

COMMENT ON TABLE etl.app_usage IS 'The latest X-App-Usage percentage each shard of a pipeline observed; shards slow down together when the highest recent one passes the threshold.';
COMMENT ON COLUMN etl.app_usage.pipeline IS 'Pipeline name.';
COMMENT ON COLUMN etl.app_usage.reporter IS 'The shard that observed it (K/N).';
COMMENT ON COLUMN etl.app_usage.percent IS 'Highest counter of X-App-Usage (call_count, total_cputime, total_time), in percent.';
COMMENT ON COLUMN etl.app_usage.observed_at IS 'When the shard observed it.';
