-- Revisions are written by every changed fact row (one per row of an all-changed reload), so their
-- indexes are on the load's hot path. The (table_name, key) index compared whole jsonb keys: about
-- 14 µs a revision, and no analyst's look-up used it (mm.v_fact_revisions filters on fields of the
-- key, never on the whole key). Its replacement indexes what a look-up of one key's history
-- starts from: the WABA and the day, as text (`key ->> 'day'` is YYYY-MM-DD, which sorts as a
-- date), then the fact table.
DROP INDEX etl.fact_revisions_table_key_idx;
CREATE INDEX fact_revisions_waba_day_idx ON etl.fact_revisions ((key ->> 'waba_id'), (key ->> 'day'), table_name);

COMMENT ON INDEX etl.fact_revisions_waba_day_idx IS 'One key''s history: revisions of a WABA (and day) without reading the rest; (key ->> ''waba_id'', key ->> ''day'', table_name).';
