-- Re-derives the WABA-local `day` of facts already loaded under another timezone (an unknown
-- timezone_id that fell back to UTC, or a corrected `timezone:` in the pipeline file). `day` is part
-- of the facts' keys, so without this a re-fetch under the right zone would add a second row per
-- bucket and every SUM would double. mmetl calls it when a WABA's resolved timezone changes.
--
-- Rules (the timezone is an IANA name PostgreSQL knows; anything else raises):
--   * mm.fact_pricing: day is always the local date of bucket_start (Meta aligns pricing buckets to
--     the WABA's timezone), so every row of the WABA under another zone is re-derived.
--   * mm.fact_template_daily: only rows whose bucket_start is a local midnight of the new zone are
--     WABA-local buckets (use_waba_timezone); UTC buckets (use_waba_timezone off) keep their UTC date.
--     Button clicks and conversions of a moved row move with it.
--   * A moved row whose new key already exists (loaded later under the right zone) is deleted: the
--     newer load wins, so a key never has two rows.
-- Returns the range of days touched (old and new), so the caller can rebuild the send-log facts
-- for it, and how many rows changed day.
CREATE FUNCTION etl.realign_waba_days(p_waba_id text, p_timezone text)
RETURNS TABLE (first_day date, last_day date, moved bigint)
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    n bigint := 0;
    k bigint;
    lo date;
    hi date;
    t text;
BEGIN
    PERFORM now() AT TIME ZONE p_timezone;   -- an unknown zone raises here, before anything changes

    SELECT min(least(day, (bucket_start AT TIME ZONE p_timezone)::date)),
           max(greatest(day, (bucket_start AT TIME ZONE p_timezone)::date))
      INTO lo, hi
      FROM mm.fact_pricing
     WHERE waba_id = p_waba_id AND waba_timezone <> p_timezone;

    -- Template facts: the moves, once, for the three tables.
    CREATE TEMP TABLE mmetl_realign (template_id text, product text, old_day date, new_day date) ON COMMIT DROP;
    INSERT INTO mmetl_realign
    SELECT template_id, product, day, (bucket_start AT TIME ZONE p_timezone)::date
      FROM mm.fact_template_daily
     WHERE waba_id = p_waba_id AND waba_timezone <> p_timezone
       AND (bucket_start AT TIME ZONE p_timezone)::time = time '00:00'
       AND day <> (bucket_start AT TIME ZONE p_timezone)::date;

    SELECT least(lo, min(least(old_day, new_day))), greatest(hi, max(greatest(old_day, new_day)))
      INTO lo, hi FROM mmetl_realign;

    -- A shifted day may fall in a month without a partition yet.
    IF lo IS NOT NULL THEN
        FOREACH t IN ARRAY ARRAY['mm.fact_pricing', 'mm.fact_template_daily', 'mm.fact_template_clicks', 'mm.fact_conversions'] LOOP
            PERFORM etl.ensure_month_partitions(t, lo, hi);
        END LOOP;
    END IF;

    DELETE FROM mm.fact_pricing s
     WHERE s.waba_id = p_waba_id AND s.waba_timezone <> p_timezone
       AND s.day <> (s.bucket_start AT TIME ZONE p_timezone)::date
       AND EXISTS (SELECT 1 FROM mm.fact_pricing f
                    WHERE f.waba_id = s.waba_id AND f.granularity = s.granularity AND f.bucket_start = s.bucket_start
                      AND f.phone_number = s.phone_number AND f.country = s.country
                      AND f.pricing_category = s.pricing_category AND f.pricing_type = s.pricing_type
                      AND f.tier = s.tier AND f.dimensions = s.dimensions AND f.day = (s.bucket_start AT TIME ZONE p_timezone)::date);
    UPDATE mm.fact_pricing
       SET day = (bucket_start AT TIME ZONE p_timezone)::date, waba_timezone = p_timezone
     WHERE waba_id = p_waba_id AND waba_timezone <> p_timezone
       AND day <> (bucket_start AT TIME ZONE p_timezone)::date;
    GET DIAGNOSTICS k = ROW_COUNT;
    n := n + k;
    UPDATE mm.fact_pricing SET waba_timezone = p_timezone
     WHERE waba_id = p_waba_id AND waba_timezone <> p_timezone;

    -- A move whose target key holds a row that is not moving itself (loaded under the right zone):
    -- the old row and its clicks and conversions go, the newer load stays.
    CREATE TEMP TABLE mmetl_realign_drop ON COMMIT DROP AS
    SELECT m.* FROM mmetl_realign m
     WHERE EXISTS (SELECT 1 FROM mm.fact_template_daily g
                    WHERE g.waba_id = p_waba_id AND g.template_id = m.template_id AND g.product = m.product AND g.day = m.new_day)
       AND NOT EXISTS (SELECT 1 FROM mmetl_realign x
                        WHERE x.template_id = m.template_id AND x.product = m.product AND x.old_day = m.new_day);
    FOREACH t IN ARRAY ARRAY['mm.fact_template_daily', 'mm.fact_template_clicks', 'mm.fact_conversions'] LOOP
        EXECUTE format('DELETE FROM %s f USING mmetl_realign_drop m WHERE f.waba_id = $1 AND f.template_id = m.template_id
                        AND f.product = m.product AND f.day = m.old_day', t) USING p_waba_id;
    END LOOP;
    DELETE FROM mmetl_realign m USING mmetl_realign_drop d
     WHERE m.template_id = d.template_id AND m.product = d.product AND m.old_day = d.old_day;
    DROP TABLE mmetl_realign_drop;

    -- Move the rest out and back in (a single UPDATE shifting consecutive days would trip over the
    -- primary key row by row).
    FOREACH t IN ARRAY ARRAY['mm.fact_template_daily', 'mm.fact_template_clicks', 'mm.fact_conversions'] LOOP
        EXECUTE format('CREATE TEMP TABLE mmetl_realign_rows ON COMMIT DROP AS
                        SELECT f.*, m.new_day AS mmetl_new_day FROM %s f JOIN mmetl_realign m
                          ON f.template_id = m.template_id AND f.product = m.product AND f.day = m.old_day
                        WHERE f.waba_id = $1', t) USING p_waba_id;
        EXECUTE format('DELETE FROM %s f USING mmetl_realign m WHERE f.waba_id = $1 AND f.template_id = m.template_id
                        AND f.product = m.product AND f.day = m.old_day', t) USING p_waba_id;
        EXECUTE 'UPDATE mmetl_realign_rows SET day = mmetl_new_day';
        IF t = 'mm.fact_template_daily' THEN
            EXECUTE 'UPDATE mmetl_realign_rows SET waba_timezone = $1' USING p_timezone;
        END IF;
        EXECUTE 'ALTER TABLE mmetl_realign_rows DROP COLUMN mmetl_new_day';
        EXECUTE format('INSERT INTO %s SELECT * FROM mmetl_realign_rows', t);
        IF t = 'mm.fact_template_daily' THEN
            GET DIAGNOSTICS k = ROW_COUNT;
            n := n + k;
        END IF;
        EXECUTE 'DROP TABLE mmetl_realign_rows';
    END LOOP;
    DROP TABLE mmetl_realign;

    first_day := lo; last_day := hi; moved := n;
    RETURN NEXT;
END
$$;
REVOKE ALL ON FUNCTION etl.realign_waba_days(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION etl.realign_waba_days(text, text) TO mmetl_loader;
COMMENT ON FUNCTION etl.realign_waba_days(text, text) IS 'Re-derives the WABA-local day of a WABA''s facts loaded under another timezone (pricing: every row; template facts: WABA-local buckets only, with their clicks and conversions); a moved row whose new key exists is dropped (the newer load wins). Returns the days touched and how many rows moved. Called by mmetl when the WABA''s timezone changes.';
