CREATE TABLE etl.fact_revisions (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name text NOT NULL,
    key        jsonb NOT NULL,
    old_values jsonb,
    new_values jsonb NOT NULL,
    run_id     bigint,
    changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fact_revisions_table_key_idx ON etl.fact_revisions (table_name, key);
CREATE INDEX fact_revisions_run_idx ON etl.fact_revisions (run_id);

COMMENT ON TABLE etl.fact_revisions IS 'Every change of a fact row''s values (late attribution, corrections): how a number moved between fetches.';
COMMENT ON COLUMN etl.fact_revisions.id IS 'Row identifier (increasing with time).';
COMMENT ON COLUMN etl.fact_revisions.table_name IS 'Qualified fact table, e.g. mm.fact_template_daily.';
COMMENT ON COLUMN etl.fact_revisions.key IS 'The fact''s natural key as a JSON object of column → value.';
COMMENT ON COLUMN etl.fact_revisions.old_values IS 'Changed columns before the change (JSON object).';
COMMENT ON COLUMN etl.fact_revisions.new_values IS 'Changed columns after the change (JSON object).';
COMMENT ON COLUMN etl.fact_revisions.run_id IS 'The run (etl.runs) that made the change.';
COMMENT ON COLUMN etl.fact_revisions.changed_at IS 'When the change was loaded.';
