-- Revision records in typed arrays, one row per fact, WABA and day a load changed, instead of one
-- row of JSON objects per changed fact row.
--
-- Every changed fact row is recorded by the statement that updates it, so the record is on the
-- load's hot path. As JSON objects (0008: per row a jsonb_build_object for the key and one per
-- changed column for the old and new values, concatenated with ||) plus one heap row and three
-- index entries each, the records of an all-changed reload of 200,000 pricing rows took ≈ 4.5 s,
-- twice the UPDATE itself. Now a changed row is a text[] of plain values (no JSON built), and the
-- rows of one WABA and day are aggregated into one record: a few heap rows and index entries per
-- load instead of one per changed row.
--
-- etl.fact_revisions: one row per (load statement, fact, WABA, day) with
-- - waba_id and day as columns (every fact key holds both), indexed with the fact: one WABA's
--   revisions, one day's, and the history of one fact row start from (waba_id, day, table_name);
-- - layout_id: the etl.fact_revision_layouts row naming the fact's other key columns and its value
--   columns at the time of the load;
-- - revision_ids: one id per changed fact row (the revision, from etl.fact_revision_id_seq:
--   increasing with time, continuing the ids of the rows before);
-- - revision_values: a two-dimensional text[], one row per changed fact row in revision_ids order:
--   the values of the layout's key columns, then the old values of its value columns, then their
--   new values. Key columns are text, date or timestamptz, so a key value is the content of a JSON
--   string (text as is, dates and instants in ISO 8601 as to_json writes them in the loader's
--   session, TimeZone UTC: 2026-10-01T07:00:00+00:00). A value is its JSON text (to_json: numbers
--   as JSON numbers, text and instants as JSON strings, NULL as null), and NULL (old and new) for
--   a column that did not change.
--
-- mm.v_fact_revisions keeps its columns and their meaning: it builds the JSON at read time
-- (etl.fact_revision_changes), and for the same change shows the same fact_key, old_value,
-- new_value and change as the JSON objects did.
--
-- Rows written before stay as they are, in etl.fact_revisions_jsonb (the table renamed, no longer
-- written), and the view reads them as it did: it is the union of both forms.

ALTER TABLE etl.fact_revisions RENAME TO fact_revisions_jsonb;
ALTER INDEX etl.fact_revisions_pkey RENAME TO fact_revisions_jsonb_pkey;
ALTER INDEX etl.fact_revisions_waba_day_idx RENAME TO fact_revisions_jsonb_waba_day_idx;
ALTER INDEX etl.fact_revisions_run_idx RENAME TO fact_revisions_jsonb_run_idx;
ALTER SEQUENCE etl.fact_revisions_id_seq RENAME TO fact_revisions_jsonb_id_seq;
REVOKE INSERT, UPDATE ON etl.fact_revisions_jsonb FROM mmetl_loader;

COMMENT ON TABLE etl.fact_revisions_jsonb IS 'Revisions recorded before migration 0120, one row of JSON objects per changed fact row; no longer written (etl.fact_revisions holds the later ones). mm.v_fact_revisions reads both.';

-- ---------------------------------------------------------------------------------------------
-- Revision ids continue where the legacy identity stopped.
CREATE SEQUENCE etl.fact_revision_id_seq AS bigint;
SELECT setval('etl.fact_revision_id_seq', s.last_value, s.is_called) FROM etl.fact_revisions_jsonb_id_seq s;
COMMENT ON SEQUENCE etl.fact_revision_id_seq IS 'Revision ids (etl.fact_revisions.revision_ids), after the ids of etl.fact_revisions_jsonb.';

-- ---------------------------------------------------------------------------------------------
CREATE TABLE etl.fact_revision_layouts (
    layout_id     integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name    text NOT NULL,
    key_columns   text[] NOT NULL CHECK (cardinality(key_columns) > 0),
    value_columns text[] NOT NULL CHECK (cardinality(value_columns) > 0),
    UNIQUE (table_name, key_columns, value_columns)
);

COMMENT ON TABLE etl.fact_revision_layouts IS 'The columns of a fact''s revision records: which key and value columns the rows of etl.fact_revisions.revision_values hold, in order. A fact whose columns change gets a new layout (a migration adds it); records keep the layout they were written with.';
COMMENT ON COLUMN etl.fact_revision_layouts.layout_id IS 'The layout (etl.fact_revisions.layout_id).';
COMMENT ON COLUMN etl.fact_revision_layouts.table_name IS 'Qualified fact table, e.g. mm.fact_pricing.';
COMMENT ON COLUMN etl.fact_revision_layouts.key_columns IS 'The key columns other than waba_id and day, in the loader''s order of the fact''s columns.';
COMMENT ON COLUMN etl.fact_revision_layouts.value_columns IS 'The value columns (compared and revised), in the loader''s order.';

-- The loader's layouts (FactTable in the code; a test checks that each one is here).
INSERT INTO etl.fact_revision_layouts (table_name, key_columns, value_columns) VALUES
    ('mm.fact_pricing',
     '{granularity,bucket_start,phone_number,country,pricing_category,pricing_type,tier,dimensions}',
     '{bucket_end,product,volume,cost,currency,waba_timezone}'),
    ('mm.fact_template_daily',
     '{template_id,product}',
     '{product_type,bucket_start,bucket_end,sent,delivered,read,url_clicks,unique_url_clicks,quick_reply_clicks,amount_spent,cost_per_delivered,cost_per_url_click,currency,waba_timezone,replied}'),
    ('mm.fact_template_clicks',
     '{template_id,product,button_type,button_content}',
     '{count}'),
    ('mm.fact_conversions',
     '{template_id,product,metric}',
     '{value,currency}');

-- ---------------------------------------------------------------------------------------------
CREATE TABLE etl.fact_revisions (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    table_name      text NOT NULL,
    waba_id         text NOT NULL,
    day             date NOT NULL,
    layout_id       integer NOT NULL,
    revision_ids    bigint[] NOT NULL,
    revision_values text[] NOT NULL,
    run_id          bigint,
    changed_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (array_ndims(revision_values) = 2 AND array_length(revision_values, 1) = cardinality(revision_ids))
);

-- A record holds a day's changed rows of a WABA (kilobytes to megabytes): TOASTed, compressed. With
-- lz4 where the server has it: pglz took 13 % of an all-changed merge, lz4 compresses as a memcpy
-- would cost.
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE etl.fact_revisions ALTER COLUMN revision_ids SET COMPRESSION lz4,
                                       ALTER COLUMN revision_values SET COMPRESSION lz4;
    END IF;
END
$$;

CREATE INDEX fact_revisions_waba_day_idx ON etl.fact_revisions (waba_id, day, table_name);
CREATE INDEX fact_revisions_run_idx ON etl.fact_revisions (run_id);

COMMENT ON TABLE etl.fact_revisions IS 'Every change of a fact row''s values (late attribution, corrections): how a number moved between fetches. One row per fact, WABA and day a load changed, holding each changed fact row (a revision); analysts read them one changed column per row through mm.v_fact_revisions. Before migration 0120: etl.fact_revisions_jsonb.';
COMMENT ON COLUMN etl.fact_revisions.id IS 'Row identifier (increasing with time).';
COMMENT ON COLUMN etl.fact_revisions.table_name IS 'Qualified fact table, e.g. mm.fact_template_daily.';
COMMENT ON COLUMN etl.fact_revisions.waba_id IS 'WhatsApp Business Account id of the changed fact rows.';
COMMENT ON COLUMN etl.fact_revisions.day IS 'WABA-local day of the changed fact rows.';
COMMENT ON COLUMN etl.fact_revisions.layout_id IS 'The layout (etl.fact_revision_layouts) naming the columns of revision_values.';
COMMENT ON COLUMN etl.fact_revisions.revision_ids IS 'One revision id per changed fact row (etl.fact_revision_id_seq: increasing with time), in the order of the rows of revision_values.';
COMMENT ON COLUMN etl.fact_revisions.revision_values IS 'One row per changed fact row (text[][]): the values of the layout''s key columns, each the content of a JSON string (instants in ISO 8601, e.g. 2026-10-01T07:00:00+00:00); then the old values of its value columns, then their new values, each as JSON text (numbers as numbers, NULL as null), NULL where the column did not change.';
COMMENT ON COLUMN etl.fact_revisions.run_id IS 'The run (etl.runs) that made the changes.';
COMMENT ON COLUMN etl.fact_revisions.changed_at IS 'When the changes were loaded.';
COMMENT ON INDEX etl.fact_revisions_waba_day_idx IS 'One key''s history: revisions of a WABA (and day, and fact) without reading the rest.';

-- ---------------------------------------------------------------------------------------------
-- One row per changed column of each changed fact row of a record, in one pass over its rows (a
-- subscript of a text[] walks the array: reading row i of revision_values by subscript would cost
-- O(i), the whole record O(n²)).
CREATE FUNCTION etl.fact_revision_changes(waba_id text, day date, key_columns text[], value_columns text[],
                                          revision_ids bigint[], revision_values text[])
RETURNS TABLE (revision_id bigint, fact_key jsonb, column_name text, old_value jsonb, new_value jsonb)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    key_count constant integer := cardinality(key_columns);
    value_count constant integer := cardinality(value_columns);
    fact_row text[];
    i integer := 0;
BEGIN
    FOREACH fact_row SLICE 1 IN ARRAY revision_values LOOP
        i := i + 1;
        revision_id := revision_ids[i];
        fact_key := jsonb_build_object('waba_id', waba_id, 'day', day) || jsonb_object(key_columns, fact_row[1:key_count]);
        FOR c IN 1..value_count LOOP
            CONTINUE WHEN fact_row[key_count + value_count + c] IS NULL;
            column_name := value_columns[c];
            old_value := fact_row[key_count + c]::jsonb;
            new_value := fact_row[key_count + value_count + c]::jsonb;
            RETURN NEXT;
        END LOOP;
    END LOOP;
END $$;

COMMENT ON FUNCTION etl.fact_revision_changes(text, date, text[], text[], bigint[], text[]) IS 'The changes of one etl.fact_revisions row, one per changed column of each changed fact row: its revision id, the fact''s full key as JSON, the column, its old and new value as JSON (mm.v_fact_revisions).';

-- ---------------------------------------------------------------------------------------------
-- Same columns, types and meaning as 0054's view (grants and comments stay); rows of both forms.
CREATE OR REPLACE VIEW mm.v_fact_revisions AS
SELECT c.revision_id, r.table_name AS fact_table,
       r.waba_id, c.fact_key ->> 'template_id' AS template_id, c.fact_key ->> 'product' AS product,
       r.day, c.fact_key,
       c.column_name, c.old_value, c.new_value,
       CASE WHEN jsonb_typeof(c.old_value) = 'number' AND jsonb_typeof(c.new_value) = 'number'
            THEN (c.new_value #>> '{}')::numeric - (c.old_value #>> '{}')::numeric END AS change,
       r.changed_at, (r.changed_at AT TIME ZONE 'UTC')::date - r.day AS days_after_day,
       r.run_id
FROM etl.fact_revisions r
JOIN etl.fact_revision_layouts l ON l.layout_id = r.layout_id
CROSS JOIN LATERAL etl.fact_revision_changes(r.waba_id, r.day, l.key_columns, l.value_columns, r.revision_ids, r.revision_values) c
UNION ALL
SELECT r.id, r.table_name,
       r.key ->> 'waba_id', r.key ->> 'template_id', r.key ->> 'product',
       (r.key ->> 'day')::date, r.key,
       c.column_name, r.old_values -> c.column_name, c.new_value,
       CASE WHEN jsonb_typeof(r.old_values -> c.column_name) = 'number' AND jsonb_typeof(c.new_value) = 'number'
            THEN (c.new_value #>> '{}')::numeric - (r.old_values ->> c.column_name)::numeric END,
       r.changed_at, (r.changed_at AT TIME ZONE 'UTC')::date - (r.key ->> 'day')::date,
       r.run_id
FROM etl.fact_revisions_jsonb r
CROSS JOIN LATERAL (SELECT n.key AS column_name, n.value AS new_value FROM jsonb_each(r.new_values) n) c;
