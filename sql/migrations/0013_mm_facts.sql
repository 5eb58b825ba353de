-- Facts loaded from the Graph API: one row per natural key, latest fetch wins; every change of a
-- row's values bumps `revision` and is kept in etl.fact_revisions.
--
-- All four are range-partitioned by month on `day` (the WABA-local date), so the primary key must
-- contain `day`, and every key begins with waba_id (the unit of loading and locking). Partitions
-- are created on demand by the loader through etl.ensure_month_partitions (0014): no DBA step.
-- Text key columns use the "C" collation: keys are ids and codes, and byte order makes the merge's
-- sorts, hash joins and index maintenance several times faster than a linguistic collation.
-- There is no default partition, so a row of a month without a partition fails loudly instead of
-- landing somewhere that would later block creating that month.
--
-- Bookkeeping columns, the same on every fact:
--   run_id            the run that inserted the row or last changed its values;
--   first_fetched_at  fetch time of the slice that inserted the row;
--   last_fetched_at   fetch time of the slice that last CHANGED the values (a re-fetch returning
--                     the same values touches nothing; the fetch time of every slice, changed or
--                     not, is in etl.run_items);
--   revision          0 on insert, +1 per change of the values;
--   is_final          the day is older than the dataset's settle window (as-of minus settle_days)
--                     when a load covered it: the numbers are not expected to move any more.

-- ---------------------------------------------------------------------------------------------
CREATE TABLE mm.fact_pricing (
    waba_id          text COLLATE "C" NOT NULL,
    granularity      text COLLATE "C" NOT NULL,
    bucket_start     timestamptz NOT NULL,
    phone_number     text COLLATE "C" NOT NULL,
    country          text COLLATE "C" NOT NULL,
    pricing_category text COLLATE "C" NOT NULL,
    pricing_type     text COLLATE "C" NOT NULL,
    tier             text COLLATE "C" NOT NULL,
    day              date NOT NULL,
    bucket_end       timestamptz NOT NULL,
    product          text NOT NULL CONSTRAINT fact_pricing_product_check CHECK (product IN ('mm_api', 'cloud_api', 'other')),
    volume           bigint NOT NULL,
    cost             numeric,
    currency         text NOT NULL,
    waba_timezone    text NOT NULL,
    run_id           bigint NOT NULL,
    first_fetched_at timestamptz NOT NULL,
    last_fetched_at  timestamptz NOT NULL,
    revision         integer NOT NULL DEFAULT 0,
    is_final         boolean NOT NULL DEFAULT false,
    -- `day` is a function of bucket_start (its date in the WABA's timezone): adding it to the key,
    -- as partitioning requires, does not change which rows are distinct.
    PRIMARY KEY (waba_id, granularity, bucket_start, phone_number, country, pricing_category, pricing_type, tier, day)
) PARTITION BY RANGE (day);

COMMENT ON TABLE mm.fact_pricing IS 'Delivered messages and their approximate cost per bucket (pricing_analytics of GET /<WABA_ID>), broken down by phone number, country, pricing category, pricing type and volume tier. Key: waba_id, granularity, bucket_start, phone_number, country, pricing_category, pricing_type, tier (plus day, a function of bucket_start). Partitioned by month of day.';
COMMENT ON COLUMN mm.fact_pricing.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.fact_pricing.granularity IS 'Bucket size requested: DAILY, MONTHLY or HALF_HOUR.';
COMMENT ON COLUMN mm.fact_pricing.bucket_start IS 'Start of the bucket exactly as returned (data point start, UNIX seconds); Meta aligns daily buckets to midnight in the WABA''s timezone.';
COMMENT ON COLUMN mm.fact_pricing.phone_number IS 'Business display phone number, digits only (data point phone_number); empty when the PHONE dimension was not requested.';
COMMENT ON COLUMN mm.fact_pricing.country IS 'Recipient country, ISO alpha-2 (data point country, mm.dim_country); empty when not broken down.';
COMMENT ON COLUMN mm.fact_pricing.pricing_category IS 'Pricing category as returned (MARKETING, MARKETING_LITE, UTILITY, AUTHENTICATION, SERVICE, …; new values kept as they come); empty when not broken down.';
COMMENT ON COLUMN mm.fact_pricing.pricing_type IS 'Pricing type as returned (REGULAR, FREE_CUSTOMER_SERVICE, FREE_ENTRY_POINT, …); empty when not broken down.';
COMMENT ON COLUMN mm.fact_pricing.tier IS 'Volume tier "<lower>:<upper>" (e.g. 0:MAX) as returned; empty when omitted (free messages) or not broken down.';
COMMENT ON COLUMN mm.fact_pricing.day IS 'WABA-local date of bucket_start (the first day of the month for MONTHLY buckets).';
COMMENT ON COLUMN mm.fact_pricing.bucket_end IS 'End of the bucket exactly as returned (data point end).';
COMMENT ON COLUMN mm.fact_pricing.product IS 'Route: mm_api (pricing category MARKETING_LITE and its variants: sent through the Marketing Messages API), cloud_api (MARKETING, GROUP_MARKETING), other (utility, authentication, service, …).';
COMMENT ON COLUMN mm.fact_pricing.volume IS 'Messages delivered in the bucket (data point volume).';
COMMENT ON COLUMN mm.fact_pricing.cost IS 'Approximate charges in currency (data point cost); NULL when Meta returns none (WABAs on a partner''s credit line). Analytics are approximate and may differ from invoices.';
COMMENT ON COLUMN mm.fact_pricing.currency IS 'Currency of cost: the WABA''s currency when loaded (ISO 4217).';
COMMENT ON COLUMN mm.fact_pricing.waba_timezone IS 'IANA timezone used to compute day.';
COMMENT ON COLUMN mm.fact_pricing.run_id IS 'The run (etl.runs) that inserted the row or last changed its values.';
COMMENT ON COLUMN mm.fact_pricing.first_fetched_at IS 'Fetch time of the slice that inserted the row.';
COMMENT ON COLUMN mm.fact_pricing.last_fetched_at IS 'Fetch time of the slice that last changed the values (the fetch that last changed them; unchanged re-fetches are in etl.run_items only).';
COMMENT ON COLUMN mm.fact_pricing.revision IS 'How many times the values changed after the first load (0 = never); each change is in etl.fact_revisions.';
COMMENT ON COLUMN mm.fact_pricing.is_final IS 'True once a load saw the day older than the pricing settle window (as-of minus settle_days): not expected to change any more.';

-- ---------------------------------------------------------------------------------------------
CREATE TABLE mm.fact_template_daily (
    waba_id            text COLLATE "C" NOT NULL,
    template_id        text COLLATE "C" NOT NULL,
    product            text COLLATE "C" NOT NULL CONSTRAINT fact_template_daily_product_check CHECK (product IN ('mm_api', 'cloud_api', 'other')),
    day                date NOT NULL,
    product_type       text NOT NULL,
    bucket_start       timestamptz NOT NULL,
    bucket_end         timestamptz NOT NULL,
    sent               bigint NOT NULL,
    delivered          bigint NOT NULL,
    read               bigint NOT NULL,
    url_clicks         bigint NOT NULL,
    unique_url_clicks  bigint NOT NULL,
    quick_reply_clicks bigint NOT NULL,
    amount_spent       numeric,
    cost_per_delivered numeric,
    cost_per_url_click numeric,
    currency           text NOT NULL,
    waba_timezone      text NOT NULL,
    run_id             bigint NOT NULL,
    first_fetched_at   timestamptz NOT NULL,
    last_fetched_at    timestamptz NOT NULL,
    revision           integer NOT NULL DEFAULT 0,
    is_final           boolean NOT NULL DEFAULT false,
    PRIMARY KEY (waba_id, template_id, product, day)
) PARTITION BY RANGE (day);

COMMENT ON TABLE mm.fact_template_daily IS 'Daily performance of each template per route (template_analytics of GET /<WABA_ID>, granularity DAILY): sends, deliveries, reads, clicks and cost. Key: waba_id, template_id, product, day. Button-level clicks are in mm.fact_template_clicks, conversions in mm.fact_conversions. Partitioned by month of day.';
COMMENT ON COLUMN mm.fact_template_daily.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.fact_template_daily.template_id IS 'Message template id (mm.dim_template).';
COMMENT ON COLUMN mm.fact_template_daily.product IS 'Route: mm_api (product type MARKETING_MESSAGES_LITE_API: the Marketing Messages API), cloud_api (CLOUD_API), other (an unknown product type; see product_type).';
COMMENT ON COLUMN mm.fact_template_daily.day IS 'The day: WABA-local when requested with use_waba_timezone (the pipeline default), else the UTC date of bucket_start.';
COMMENT ON COLUMN mm.fact_template_daily.product_type IS 'Product type as echoed by the API (or as requested when not echoed), e.g. marketing_messages_lite_api.';
COMMENT ON COLUMN mm.fact_template_daily.bucket_start IS 'Start of the data point (start) as returned.';
COMMENT ON COLUMN mm.fact_template_daily.bucket_end IS 'End of the data point (end) as returned.';
COMMENT ON COLUMN mm.fact_template_daily.sent IS 'Messages sent (metric SENT).';
COMMENT ON COLUMN mm.fact_template_daily.delivered IS 'Messages delivered (metric DELIVERED).';
COMMENT ON COLUMN mm.fact_template_daily.read IS 'Messages read (metric READ; users with read receipts off are not counted).';
COMMENT ON COLUMN mm.fact_template_daily.url_clicks IS 'URL button clicks (metric CLICKED, url_button). Not measured for messages from or to countries where mm.dim_country.mm_click_conversion_metrics is false.';
COMMENT ON COLUMN mm.fact_template_daily.unique_url_clicks IS 'Unique URL button clicks (metric CLICKED, unique_url_button).';
COMMENT ON COLUMN mm.fact_template_daily.quick_reply_clicks IS 'Quick-reply button clicks (metric CLICKED, quick_reply_button).';
COMMENT ON COLUMN mm.fact_template_daily.amount_spent IS 'Spend on the template that day (metric COST, amount_spent) in currency; NULL when not returned.';
COMMENT ON COLUMN mm.fact_template_daily.cost_per_delivered IS 'Cost per delivered message (metric COST, cost_per_delivered); NULL when not returned.';
COMMENT ON COLUMN mm.fact_template_daily.cost_per_url_click IS 'Cost per URL click (metric COST, cost_per_url_button_click); NULL when not returned.';
COMMENT ON COLUMN mm.fact_template_daily.currency IS 'Currency of the cost columns: the WABA''s currency when loaded (ISO 4217).';
COMMENT ON COLUMN mm.fact_template_daily.waba_timezone IS 'IANA timezone of day (the response''s waba_timezone, or UTC without use_waba_timezone).';
COMMENT ON COLUMN mm.fact_template_daily.run_id IS 'The run (etl.runs) that inserted the row or last changed its values.';
COMMENT ON COLUMN mm.fact_template_daily.first_fetched_at IS 'Fetch time of the slice that inserted the row.';
COMMENT ON COLUMN mm.fact_template_daily.last_fetched_at IS 'Fetch time of the slice that last changed the values (unchanged re-fetches are in etl.run_items only).';
COMMENT ON COLUMN mm.fact_template_daily.revision IS 'How many times the values changed after the first load (late attribution); each change is in etl.fact_revisions.';
COMMENT ON COLUMN mm.fact_template_daily.is_final IS 'True once a load saw the day older than the templates settle window (as-of minus settle_days).';

-- ---------------------------------------------------------------------------------------------
CREATE TABLE mm.fact_template_clicks (
    waba_id          text COLLATE "C" NOT NULL,
    template_id      text COLLATE "C" NOT NULL,
    product          text COLLATE "C" NOT NULL CONSTRAINT fact_template_clicks_product_check CHECK (product IN ('mm_api', 'cloud_api', 'other')),
    day              date NOT NULL,
    button_type      text COLLATE "C" NOT NULL,
    button_content   text COLLATE "C" NOT NULL,
    count            bigint NOT NULL,
    run_id           bigint NOT NULL,
    first_fetched_at timestamptz NOT NULL,
    last_fetched_at  timestamptz NOT NULL,
    revision         integer NOT NULL DEFAULT 0,
    is_final         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (waba_id, template_id, product, day, button_type, button_content)
) PARTITION BY RANGE (day);

COMMENT ON TABLE mm.fact_template_clicks IS 'Clicks per template button and day (template_analytics metric CLICKED, one row per clicked entry). Key: waba_id, template_id, product, day, button_type, button_content. Partitioned by month of day.';
COMMENT ON COLUMN mm.fact_template_clicks.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.fact_template_clicks.template_id IS 'Message template id (mm.dim_template).';
COMMENT ON COLUMN mm.fact_template_clicks.product IS 'Route: mm_api, cloud_api or other (as in mm.fact_template_daily).';
COMMENT ON COLUMN mm.fact_template_clicks.day IS 'The day, as in mm.fact_template_daily.';
COMMENT ON COLUMN mm.fact_template_clicks.button_type IS 'Click type as returned: url_button, unique_url_button, quick_reply_button, or any new type.';
COMMENT ON COLUMN mm.fact_template_clicks.button_content IS 'The button''s text exactly as returned (any characters, emoji included).';
COMMENT ON COLUMN mm.fact_template_clicks.count IS 'Clicks on the button that day.';
COMMENT ON COLUMN mm.fact_template_clicks.run_id IS 'The run (etl.runs) that inserted the row or last changed its values.';
COMMENT ON COLUMN mm.fact_template_clicks.first_fetched_at IS 'Fetch time of the slice that inserted the row.';
COMMENT ON COLUMN mm.fact_template_clicks.last_fetched_at IS 'Fetch time of the slice that last changed the values.';
COMMENT ON COLUMN mm.fact_template_clicks.revision IS 'How many times count changed after the first load; each change is in etl.fact_revisions.';
COMMENT ON COLUMN mm.fact_template_clicks.is_final IS 'True once a load saw the day older than the templates settle window.';

-- ---------------------------------------------------------------------------------------------
CREATE TABLE mm.fact_conversions (
    waba_id          text COLLATE "C" NOT NULL,
    template_id      text COLLATE "C" NOT NULL,
    product          text COLLATE "C" NOT NULL CONSTRAINT fact_conversions_product_check CHECK (product IN ('mm_api', 'cloud_api', 'other')),
    day              date NOT NULL,
    metric           text COLLATE "C" NOT NULL,
    value            numeric NOT NULL,
    currency         text NOT NULL,
    run_id           bigint NOT NULL,
    first_fetched_at timestamptz NOT NULL,
    last_fetched_at  timestamptz NOT NULL,
    revision         integer NOT NULL DEFAULT 0,
    is_final         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (waba_id, template_id, product, day, metric)
) PARTITION BY RANGE (day);

COMMENT ON TABLE mm.fact_conversions IS 'Conversions attributed to a template per day (template_analytics conversion metrics, MM API only): one row per metric, every metric type the API returns, new ones included. Key: waba_id, template_id, product, day, metric. Partitioned by month of day.';
COMMENT ON COLUMN mm.fact_conversions.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.fact_conversions.template_id IS 'Message template id (mm.dim_template).';
COMMENT ON COLUMN mm.fact_conversions.product IS 'Route: mm_api, cloud_api or other (as in mm.fact_template_daily).';
COMMENT ON COLUMN mm.fact_conversions.day IS 'The day, as in mm.fact_template_daily.';
COMMENT ON COLUMN mm.fact_conversions.metric IS 'Conversion metric, lower case as returned: website_purchases, website_add_to_cart, website_checkouts_initiated, app_purchases, app_add_to_cart, app_activations, …, and *_conversion_value for purchase values (the request''s metric_types, lower case).';
COMMENT ON COLUMN mm.fact_conversions.value IS 'The metric''s value: a count, or an amount in currency for *_conversion_value metrics.';
COMMENT ON COLUMN mm.fact_conversions.currency IS 'Currency of value metrics (the WABA''s currency when loaded); meaningless for counts.';
COMMENT ON COLUMN mm.fact_conversions.run_id IS 'The run (etl.runs) that inserted the row or last changed its values.';
COMMENT ON COLUMN mm.fact_conversions.first_fetched_at IS 'Fetch time of the slice that inserted the row.';
COMMENT ON COLUMN mm.fact_conversions.last_fetched_at IS 'Fetch time of the slice that last changed the values.';
COMMENT ON COLUMN mm.fact_conversions.revision IS 'How many times value changed after the first load (late attribution); each change is in etl.fact_revisions.';
COMMENT ON COLUMN mm.fact_conversions.is_final IS 'True once a load saw the day older than the templates settle window.';
