-- The bench's `scale` phase: a synthetic solution-partner warehouse generated directly in SQL (no
-- API, no simulator). psql variables: wabas, templates, days, as_of (YYYY-MM-DD), messages.
--
--   WABA i      country BR MX IN ID DE (i % 5) × industry retail apparel ((i / 5) % 2): ten cohorts,
--               so 100 WABAs give ten per cohort and 1,000 give a hundred (DE: clicks not measured)
--   templates   per WABA: `templates`, the first 80 % MARKETING, the rest UTILITY
--   facts       every template × day × product (mm_api, cloud_api) in mm.fact_template_daily;
--               per MM API template-day three conversion metrics and one URL button's clicks;
--               pricing per WABA × day × 3 recipient countries × 3 categories (every dimension)
--   send log    `messages` messages spread over the WABAs, templates and days: 80 % MM API, 5 %
--               failed (with a failed status and its error code), 95 % delivered, half read
-- Counts are deterministic functions of the indexes (no random()), so runs are comparable.
\set ON_ERROR_STOP on
SET synchronous_commit = off;
SET client_min_messages = warning;

SELECT etl.ensure_month_partitions(t, :'as_of'::date - (:days - 1), :'as_of'::date)
FROM unnest(ARRAY['mm.fact_template_daily', 'mm.fact_template_clicks', 'mm.fact_conversions', 'mm.fact_pricing']) t;

CREATE TEMP TABLE sc_waba AS
SELECT i, 'sw' || lpad(i::text, 5, '0') AS waba_id, (ARRAY['BR', 'MX', 'IN', 'ID', 'DE'])[i % 5 + 1] AS country,
       (ARRAY['retail', 'apparel'])[(i / 5) % 2 + 1] AS industry,
       (ARRAY['55', '52', '91', '62', '49'])[i % 5 + 1] AS cc
FROM generate_series(0, :wabas - 1) i;

INSERT INTO mm.dim_waba (waba_id, name, currency, timezone, timezone_source, country, industry, insights_enabled)
SELECT waba_id, 'Scale ' || i, 'USD', 'UTC', 'pipeline', country, industry, true FROM sc_waba;
INSERT INTO mm.dim_phone_number (waba_id, phone_number_id, display_phone_number, verified_name, vertical)
SELECT waba_id, waba_id || 'p', '+' || cc || ' 11 9' || lpad(i::text, 7, '0'), 'Scale ' || i, upper(industry) FROM sc_waba;
INSERT INTO mm.dim_template_version (waba_id, template_id, valid_from, name, language, category, status, quality_score)
SELECT w.waba_id, w.waba_id || 't' || j, '2025-01-01', 'tpl_' || j, 'en_US',
       CASE WHEN j < :templates * 8 / 10 THEN 'MARKETING' ELSE 'UTILITY' END, 'APPROVED', 'GREEN'
FROM sc_waba w, generate_series(0, :templates - 1) j;
INSERT INTO mm.dim_template_seen (waba_id, template_id, first_seen_at, last_seen_at)
SELECT waba_id, template_id, valid_from, now() FROM mm.dim_template_version;

-- template × day × product; h is a deterministic 0…99 spread.
INSERT INTO mm.fact_template_daily (waba_id, template_id, product, day, product_type, bucket_start, bucket_end,
    sent, delivered, read, url_clicks, unique_url_clicks, quick_reply_clicks, amount_spent, cost_per_delivered,
    cost_per_url_click, currency, waba_timezone, run_id, first_fetched_at, last_fetched_at, revision, is_final)
SELECT w.waba_id, w.waba_id || 't' || j, p.product, d.day, p.product_type, d.day::timestamptz, d.day::timestamptz + interval '1 day',
       x.sent, x.delivered, x.read, x.clicks, x.clicks * 9 / 10, x.clicks / 4,
       round(x.delivered * p.price, 4), p.price, round(x.delivered * p.price / nullif(x.clicks, 0), 4),
       'USD', 'UTC', 1, now(), now(), 0, d.day < :'as_of'::date - 10
FROM sc_waba w
CROSS JOIN generate_series(0, :templates - 1) j
CROSS JOIN (SELECT (:'as_of'::date - k)::date AS day, k FROM generate_series(0, :days - 1) k) d
CROSS JOIN (VALUES ('mm_api', 'marketing_messages_lite_api', 0.0120), ('cloud_api', 'cloud_api', 0.0250)) p(product, product_type, price)
CROSS JOIN LATERAL (SELECT (w.i * 37 + j * 11 + d.k * 7 + length(p.product)) % 100 AS h) hh
CROSS JOIN LATERAL (
    SELECT 40 + hh.h * 3 AS sent, (40 + hh.h * 3) * 9 / 10 AS delivered,
           (40 + hh.h * 3) * 9 / 10 * (30 + (hh.h * 7) % 50) / 100 AS read,
           (40 + hh.h * 3) * 9 / 10 * ((hh.h * 13) % 12) / 100 AS clicks
) x;

INSERT INTO mm.fact_conversions (waba_id, template_id, product, day, metric, value, currency, run_id,
    first_fetched_at, last_fetched_at, revision, is_final)
SELECT f.waba_id, f.template_id, f.product, f.day, m.metric,
       CASE m.metric WHEN 'website_add_to_cart' THEN f.url_clicks / 2
                     WHEN 'website_purchases' THEN f.url_clicks / 5
                     ELSE (f.url_clicks / 5) * 35 END,
       'USD', 1, now(), now(), 0, f.is_final
FROM mm.fact_template_daily f
CROSS JOIN (VALUES ('website_add_to_cart'), ('website_purchases'), ('website_purchases_conversion_value')) m(metric)
WHERE f.product = 'mm_api';

INSERT INTO mm.fact_template_clicks (waba_id, template_id, product, day, button_type, button_content, count, run_id,
    first_fetched_at, last_fetched_at, revision, is_final)
SELECT waba_id, template_id, product, day, 'url_button', 'Shop now', url_clicks, 1, now(), now(), 0, is_final
FROM mm.fact_template_daily WHERE product = 'mm_api';

INSERT INTO mm.fact_pricing (waba_id, granularity, bucket_start, phone_number, country, pricing_category, pricing_type,
    tier, day, bucket_end, product, volume, cost, currency, waba_timezone, run_id, first_fetched_at, last_fetched_at,
    revision, is_final)
SELECT w.waba_id, 'DAILY', d.day::timestamptz, w.cc || '119' || lpad(w.i::text, 7, '0'), rc.country, c.category, 'REGULAR',
       CASE WHEN c.category = 'UTILITY' THEN '' ELSE '0:MAX' END, d.day, d.day::timestamptz + interval '1 day', c.product,
       v.volume, round(v.volume * c.price, 4), 'USD', 'UTC', 1, now(), now(), 0, d.day < :'as_of'::date - 7
FROM sc_waba w
CROSS JOIN (SELECT (:'as_of'::date - k)::date AS day, k FROM generate_series(0, :days - 1) k) d
CROSS JOIN (VALUES ('BR'), ('MX'), ('US')) rc(country)
CROSS JOIN (VALUES ('MARKETING_LITE', 'mm_api', 0.012), ('MARKETING', 'cloud_api', 0.025), ('UTILITY', 'other', 0.004)) c(category, product, price)
CROSS JOIN LATERAL (SELECT 100 + (w.i * 17 + d.k * 5 + length(rc.country || c.category)) % 400 AS volume) v;

-- The send log: message n → WABA n % wabas, template (n / wabas) % templates, day (n / 7) % days.
INSERT INTO sendlog.messages (wamid, waba_id, phone_number_id, template_id, template_name, language, recipient_hash,
    recipient_country, endpoint, product_policy, campaign, sent_at, first_status_at, occurred_at, sent_status_at, delivered_at,
    read_at, failed_at, last_status, last_status_at, route, pricing_category, source_sha256)
SELECT 'wamid.scale' || n, w.waba_id, w.waba_id || 'p', w.waba_id || 't' || t.j, 'tpl_' || t.j, 'en_US', md5(n::text),
       (ARRAY['BR', 'MX', 'US', 'IN'])[n % 4 + 1], 'marketing_messages', 'CLOUD_API_FALLBACK', 'c' || (n % 7),
       s.at, s.at + interval '1 second', s.at, s.at + interval '1 second',
       CASE WHEN n % 20 <> 0 THEN s.at + interval '5 seconds' END,
       CASE WHEN n % 2 = 1 AND n % 20 <> 0 THEN s.at + interval '60 seconds' END,
       CASE WHEN n % 20 = 0 THEN s.at + interval '5 seconds' END,
       CASE WHEN n % 20 = 0 THEN 'failed' WHEN n % 2 = 1 THEN 'read' ELSE 'delivered' END, s.at + interval '60 seconds',
       CASE WHEN n % 5 = 0 THEN 'cloud_api' ELSE 'mm_api' END,
       CASE WHEN n % 5 = 0 THEN 'marketing' ELSE 'marketing_lite' END, 'scale'
FROM generate_series(0, :messages - 1) n
CROSS JOIN LATERAL (SELECT n % :wabas AS wi, (n / :wabas) % :templates AS j) t
JOIN sc_waba w ON w.i = t.wi
CROSS JOIN LATERAL (SELECT (:'as_of'::date - ((n / 7) % :days)::integer)::timestamp AT TIME ZONE 'UTC'
                           + make_interval(secs => 36000 + n % 28800) AS at) s;

INSERT INTO sendlog.statuses (wamid, status, status_at, waba_id, phone_number_id, route, error_codes, errors, source_sha256, source_line)
SELECT wamid, 'failed', failed_at, waba_id, phone_number_id, route,
       ARRAY[CASE WHEN recipient_country = 'US' THEN 131049 ELSE 131026 END],
       jsonb_build_array(jsonb_build_object('code', CASE WHEN recipient_country = 'US' THEN 131049 ELSE 131026 END, 'title', 'Message undeliverable')),
       'scale', 0
FROM sendlog.messages WHERE failed_at IS NOT NULL;

VACUUM ANALYZE;
