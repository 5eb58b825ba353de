-- Fact partitions keep half of each page free (fillfactor 50, was 70 in 0014).
--
-- An UPDATE is HOT (heap-only: no new entry in the fact's wide primary key, no index page touched)
-- only when the row's new version fits on the page of the old one. Two loads update every row of a
-- range: a reload in which late attribution moved every number (every row revised), and the
-- finalization of settled days (each row's is_final becomes true once). With 30 % free, a full
-- page has room for the new versions of about 40 % of its rows: an all-changed reload of 200,000
-- mm.fact_pricing rows made 82,764 HOT updates and 117,236 that also inserted into the primary key.
-- With half of each page free, all 200,000 were HOT, and the all-changed merge ran 1.3–1.5× faster
-- (measured A/B on the same machine and load; see README "Performance"). Old versions are pruned
-- from the page by the next reader or vacuum, so the room is there again for the next reload.
-- The cost: the facts' heap takes up to twice the pages (their primary keys are unchanged), so a
-- sequential scan of a whole partition reads more pages; queries by key or by day range within a
-- WABA go through the primary key.
--
-- New partitions: etl.ensure_month_partitions below (unchanged but for the fillfactor).
-- Existing partitions: their fillfactor is set here, which applies to pages filled from now on
-- (new rows, and rows an update moves to another page); pages already full keep their rows until
-- those are rewritten. Rewriting them is not done here (it locks the partition and copies every
-- row, inside the migration's transaction); for a warehouse whose existing months will still be
-- reloaded, `VACUUM FULL mm.<fact>_pYYYYMM` per partition in a maintenance window gives them the
-- room at once (docs/architecture.md, "Fact storage").
CREATE OR REPLACE FUNCTION etl.ensure_month_partitions(p_table text, p_from date, p_to date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    month_start date;
    partition_name text;
    created integer := 0;
BEGIN
    IF p_table NOT IN ('mm.fact_pricing', 'mm.fact_template_daily', 'mm.fact_template_clicks', 'mm.fact_conversions') THEN
        RAISE EXCEPTION 'etl.ensure_month_partitions: % is not a partitioned mm fact', p_table
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_from IS NULL OR p_to IS NULL OR p_to < p_from THEN
        RETURN 0;
    END IF;
    IF (extract(year FROM p_to) * 12 + extract(month FROM p_to)) - (extract(year FROM p_from) * 12 + extract(month FROM p_from)) > 120 THEN
        RAISE EXCEPTION 'etl.ensure_month_partitions: % … % spans more than 121 months', p_from, p_to
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    month_start := date_trunc('month', p_from)::date;
    WHILE month_start <= p_to LOOP
        partition_name := p_table || '_p' || to_char(month_start, 'YYYYMM');
        IF to_regclass(partition_name) IS NULL THEN
            PERFORM pg_advisory_xact_lock(hashtextextended('mmetl.partition:' || partition_name, 0));
            BEGIN
                EXECUTE format('CREATE TABLE IF NOT EXISTS %s PARTITION OF %s FOR VALUES FROM (%L) TO (%L) WITH (fillfactor = 50)',
                               partition_name, p_table, month_start, (month_start + interval '1 month')::date);
                EXECUTE format('COMMENT ON TABLE %s IS %L', partition_name,
                               format('Partition of %s for %s (created on demand by the loader).', p_table, to_char(month_start, 'YYYY-MM')));
                created := created + 1;
            EXCEPTION WHEN duplicate_table OR unique_violation THEN
                NULL;  -- created by a concurrent caller
            END;
        END IF;
        month_start := (month_start + interval '1 month')::date;
    END LOOP;
    RETURN created;
END
$$;

DO $$
DECLARE
    part regclass;
BEGIN
    FOR part IN
        SELECT i.inhrelid::regclass
        FROM pg_inherits i
        WHERE i.inhparent IN ('mm.fact_pricing'::regclass, 'mm.fact_template_daily'::regclass,
                              'mm.fact_template_clicks'::regclass, 'mm.fact_conversions'::regclass)
    LOOP
        EXECUTE format('ALTER TABLE %s SET (fillfactor = 50)', part);
    END LOOP;
END
$$;
