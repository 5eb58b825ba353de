-- A daily template-performance fact, so the analyst views need not aggregate every API fact and
-- the send log whole on each call: one row per WABA, template, product and WABA-local day that has
-- template_analytics data or send-log messages, with the API counts and costs, the conversion
-- metrics (one column per metric) and the send log's counts side by side.
--
-- sql/transforms/15_fact_template_performance.sql rebuilds the days a load touched (API loads and
-- send-log loads both run the transforms for their days) from etl.template_performance_rows, which
-- combines the three sources with UNION ALL + GROUP BY. Partitioned by month of day like the facts;
-- partitions are created on demand by etl.ensure_performance_partitions. This migration fills it for
-- every day already loaded.

CREATE TABLE mm.fact_template_performance_daily (
    waba_id             text COLLATE "C" NOT NULL,
    template_id         text COLLATE "C" NOT NULL,
    product             text COLLATE "C" NOT NULL,
    day                 date NOT NULL,
    has_api             boolean NOT NULL,
    sent                bigint,
    delivered           bigint,
    read                bigint,
    url_clicks          bigint,
    unique_url_clicks   bigint,
    quick_reply_clicks  bigint,
    amount_spent        numeric,
    cost_per_delivered  numeric,
    cost_per_url_click  numeric,
    currency            text,
    conversion_rows     integer NOT NULL,
    purchases           numeric,
    purchase_value      numeric,
    add_to_cart         numeric,
    checkouts_initiated numeric,
    conversion_metrics  jsonb,
    sendlog_sent        bigint,
    sendlog_delivered   bigint,
    sendlog_read        bigint,
    sendlog_failed      bigint,
    is_final            boolean,
    run_id              bigint,
    computed_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (waba_id, template_id, product, day)
) PARTITION BY RANGE (day);

COMMENT ON TABLE mm.fact_template_performance_daily IS 'Per WABA, template, product and WABA-local day: mm.fact_template_daily, mm.fact_conversions and mm.fact_sends_daily combined (computed by sql/transforms/15_fact_template_performance.sql for the days each load touched). Analysts read mm.v_template_performance, which adds names, measured flags and rates. Partitioned by month of day.';
COMMENT ON COLUMN mm.fact_template_performance_daily.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.fact_template_performance_daily.template_id IS 'Template id.';
COMMENT ON COLUMN mm.fact_template_performance_daily.product IS 'mm_api, cloud_api or other.';
COMMENT ON COLUMN mm.fact_template_performance_daily.day IS 'WABA-local day.';
COMMENT ON COLUMN mm.fact_template_performance_daily.has_api IS 'template_analytics has a row for the key (false: send log only).';
COMMENT ON COLUMN mm.fact_template_performance_daily.sent IS 'API sent; NULL without an API row.';
COMMENT ON COLUMN mm.fact_template_performance_daily.delivered IS 'API delivered.';
COMMENT ON COLUMN mm.fact_template_performance_daily.read IS 'API read.';
COMMENT ON COLUMN mm.fact_template_performance_daily.url_clicks IS 'API URL button clicks as returned (0 where not measured: the view says NULL).';
COMMENT ON COLUMN mm.fact_template_performance_daily.unique_url_clicks IS 'API unique URL button clicks as returned.';
COMMENT ON COLUMN mm.fact_template_performance_daily.quick_reply_clicks IS 'API quick-reply clicks as returned.';
COMMENT ON COLUMN mm.fact_template_performance_daily.amount_spent IS 'API amount_spent; NULL when none.';
COMMENT ON COLUMN mm.fact_template_performance_daily.cost_per_delivered IS 'API cost_per_delivered; NULL when none.';
COMMENT ON COLUMN mm.fact_template_performance_daily.cost_per_url_click IS 'API cost_per_url_button_click; NULL when none.';
COMMENT ON COLUMN mm.fact_template_performance_daily.currency IS 'Currency of the API money columns.';
COMMENT ON COLUMN mm.fact_template_performance_daily.conversion_rows IS 'Conversion metric rows of the key (0: no conversion metric returned).';
COMMENT ON COLUMN mm.fact_template_performance_daily.purchases IS 'website_purchases + app_purchases; NULL when neither was returned.';
COMMENT ON COLUMN mm.fact_template_performance_daily.purchase_value IS 'website_ + app_purchases_conversion_value.';
COMMENT ON COLUMN mm.fact_template_performance_daily.add_to_cart IS 'website_ + app_add_to_cart.';
COMMENT ON COLUMN mm.fact_template_performance_daily.checkouts_initiated IS 'website_ + app_checkouts_initiated.';
COMMENT ON COLUMN mm.fact_template_performance_daily.conversion_metrics IS 'Every conversion metric as {metric: value}; NULL when none.';
COMMENT ON COLUMN mm.fact_template_performance_daily.sendlog_sent IS 'Send-log messages (mm.fact_sends_daily with a known product and template); NULL when none.';
COMMENT ON COLUMN mm.fact_template_performance_daily.sendlog_delivered IS 'Of those, delivered.';
COMMENT ON COLUMN mm.fact_template_performance_daily.sendlog_read IS 'Of those, read.';
COMMENT ON COLUMN mm.fact_template_performance_daily.sendlog_failed IS 'Of those, failed.';
COMMENT ON COLUMN mm.fact_template_performance_daily.is_final IS 'The API row is past its settle window; NULL without an API row.';
COMMENT ON COLUMN mm.fact_template_performance_daily.run_id IS 'The run whose transform computed the row, when known.';
COMMENT ON COLUMN mm.fact_template_performance_daily.computed_at IS 'When the row was computed.';

-- The rows of mm.fact_template_performance_daily for the days [p_from, p_to]. A plain SQL function:
-- the range reaches each source's scan (partition pruning, the send-log fact's day index).
CREATE FUNCTION etl.template_performance_rows(p_from date, p_to date)
RETURNS SETOF mm.fact_template_performance_daily
LANGUAGE sql STABLE
AS $$
    SELECT u.waba_id, u.template_id, u.product, u.day,
           count(*) FILTER (WHERE u.src = 'api') > 0,
           sum(u.sent) FILTER (WHERE u.src = 'api'), sum(u.delivered) FILTER (WHERE u.src = 'api'),
           sum(u.read) FILTER (WHERE u.src = 'api'),
           sum(u.url_clicks), sum(u.unique_url_clicks), sum(u.quick_reply_clicks),
           sum(u.amount_spent), max(u.cost_per_delivered), max(u.cost_per_url_click), max(u.currency),
           (count(*) FILTER (WHERE u.src = 'conversions'))::integer,
           sum(u.value) FILTER (WHERE u.metric IN ('website_purchases', 'app_purchases')),
           sum(u.value) FILTER (WHERE u.metric IN ('website_purchases_conversion_value', 'app_purchases_conversion_value')),
           sum(u.value) FILTER (WHERE u.metric IN ('website_add_to_cart', 'app_add_to_cart')),
           sum(u.value) FILTER (WHERE u.metric IN ('website_checkouts_initiated', 'app_checkouts_initiated')),
           jsonb_object_agg(u.metric, u.value) FILTER (WHERE u.metric IS NOT NULL),
           sum(u.sent) FILTER (WHERE u.src = 'sendlog'), sum(u.delivered) FILTER (WHERE u.src = 'sendlog'),
           sum(u.read) FILTER (WHERE u.src = 'sendlog'), sum(u.failed),
           bool_and(u.is_final),
           nullif(current_setting('mmetl.run_id', true), '')::bigint, now()
    FROM (
        SELECT 'api' AS src, f.waba_id, f.template_id, f.product, f.day, f.sent, f.delivered, f.read,
               f.url_clicks, f.unique_url_clicks, f.quick_reply_clicks, f.amount_spent, f.cost_per_delivered,
               f.cost_per_url_click, f.currency, f.is_final, NULL::text AS metric, NULL::numeric AS value, NULL::bigint AS failed
        FROM mm.fact_template_daily f
        WHERE f.day BETWEEN p_from AND p_to
        UNION ALL
        SELECT 'conversions', v.waba_id, v.template_id, v.product, v.day, NULL, NULL, NULL,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, v.metric, v.value, NULL
        FROM mm.fact_conversions v
        WHERE v.day BETWEEN p_from AND p_to
        UNION ALL
        SELECT 'sendlog', s.waba_id, s.template_id, s.product, s.day, s.sent, s.delivered, s.read,
               NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, s.failed
        FROM mm.fact_sends_daily s
        WHERE s.day BETWEEN p_from AND p_to
          AND s.product IS NOT NULL AND s.waba_id IS NOT NULL AND s.template_id IS NOT NULL
    ) u
    GROUP BY u.waba_id, u.template_id, u.product, u.day
$$;
COMMENT ON FUNCTION etl.template_performance_rows(date, date) IS 'The rows of mm.fact_template_performance_daily for the WABA-local days [p_from, p_to], computed from mm.fact_template_daily, mm.fact_conversions and mm.fact_sends_daily.';

-- Month partitions of mm.fact_template_performance_daily for [p_from, p_to], created on demand by
-- the transform (as etl.ensure_month_partitions does for the loaded facts; same naming, owner and
-- fillfactor 100: rows are rewritten by delete and insert, never updated).
CREATE FUNCTION etl.ensure_performance_partitions(p_from date, p_to date) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    month_start date;
    partition_name text;
    created integer := 0;
BEGIN
    IF p_from IS NULL OR p_to IS NULL OR p_to < p_from THEN
        RETURN 0;
    END IF;
    IF (extract(year FROM p_to) * 12 + extract(month FROM p_to)) - (extract(year FROM p_from) * 12 + extract(month FROM p_from)) > 120 THEN
        RAISE EXCEPTION 'etl.ensure_performance_partitions: % … % spans more than 121 months', p_from, p_to
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    month_start := date_trunc('month', p_from)::date;
    WHILE month_start <= p_to LOOP
        partition_name := 'mm.fact_template_performance_daily_p' || to_char(month_start, 'YYYYMM');
        IF to_regclass(partition_name) IS NULL THEN
            PERFORM pg_advisory_xact_lock(hashtextextended('mmetl.partition:' || partition_name, 0));
            BEGIN
                EXECUTE format('CREATE TABLE IF NOT EXISTS %s PARTITION OF mm.fact_template_performance_daily FOR VALUES FROM (%L) TO (%L)',
                               partition_name, month_start, (month_start + interval '1 month')::date);
                EXECUTE format('COMMENT ON TABLE %s IS %L', partition_name,
                               format('Partition of mm.fact_template_performance_daily for %s (created on demand by the transform).', to_char(month_start, 'YYYY-MM')));
                created := created + 1;
            EXCEPTION WHEN duplicate_table OR unique_violation THEN
                NULL;
            END;
        END IF;
        month_start := (month_start + interval '1 month')::date;
    END LOOP;
    RETURN created;
END
$$;
REVOKE ALL ON FUNCTION etl.ensure_performance_partitions(date, date) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION etl.ensure_performance_partitions(date, date) TO mmetl_loader;
COMMENT ON FUNCTION etl.ensure_performance_partitions(date, date) IS 'Creates the missing month partitions (mm.fact_template_performance_daily_pYYYYMM) for days [p_from, p_to]; returns how many it created. Runs as the owner.';

-- Fill it for what is already loaded.
DO $$
DECLARE
    first_day date;
    last_day date;
BEGIN
    SELECT min(d), max(d) INTO first_day, last_day
    FROM (SELECT min(day) AS d FROM mm.fact_template_daily UNION ALL SELECT max(day) FROM mm.fact_template_daily
          UNION ALL SELECT min(day) FROM mm.fact_conversions UNION ALL SELECT max(day) FROM mm.fact_conversions
          UNION ALL SELECT min(day) FROM mm.fact_sends_daily UNION ALL SELECT max(day) FROM mm.fact_sends_daily) x;
    IF first_day IS NOT NULL THEN
        PERFORM etl.ensure_performance_partitions(first_day, last_day);
        INSERT INTO mm.fact_template_performance_daily SELECT * FROM etl.template_performance_rows(first_day, last_day);
    END IF;
END
$$;
