-- What the fewest Graph API requests of a scenario depend on, from the warehouse after the run
-- (harness/api_minimum.py turns it into the minimum). Variables: window_start, window_end (dates),
-- window_days, page_size (integers), products (comma-separated product names of mm.fact_template_daily).
-- Windows: [window_start, window_end] in spans of ≤ window_days. Pricing pages per WABA and window:
-- max(1, ceil(rows of mm.fact_pricing ÷ page_size)). Template calls per WABA, batch of ≤ 10 templates
-- (id order: length, then text), product and window, each max(1, ceil(its rows ÷ page_size)) pages;
-- WABAs whose fields say is_enabled_for_insights = false need none.
WITH w AS (SELECT DISTINCT waba_id FROM mm.dim_waba),
win AS (SELECT g AS idx, (:'window_start'::date + g * :window_days) AS ws,
               least(:'window_end'::date, :'window_start'::date + g * :window_days + :window_days - 1) AS we
        FROM generate_series(0, (:'window_end'::date - :'window_start'::date) / :window_days) g),
phones AS (SELECT waba_id, count(*) AS n FROM mm.dim_phone_number GROUP BY waba_id),
pricing AS (
  SELECT w.waba_id, win.idx, greatest(1, ceil(count(p.*)::numeric / :page_size))::int AS pages, count(p.*) AS points
  FROM w CROSS JOIN win LEFT JOIN mm.fact_pricing p ON p.waba_id = w.waba_id AND p.day BETWEEN win.ws AND win.we
  GROUP BY w.waba_id, win.idx),
tpl AS (SELECT waba_id, template_id,
               (row_number() OVER (PARTITION BY waba_id ORDER BY length(template_id), template_id) - 1) / 10 AS batch
        FROM (SELECT DISTINCT t.waba_id, t.template_id FROM mm.dim_template t
              JOIN mm.dim_waba dw ON dw.waba_id = t.waba_id AND dw.insights_enabled IS NOT false) d),
disabled AS (SELECT count(*) AS n FROM mm.dim_waba WHERE insights_enabled = false),
prod AS (SELECT unnest(string_to_array(:'products', ',')) AS product),
tcalls AS (
  SELECT t.waba_id, t.batch, prod.product, win.idx, count(f.*) AS points,
         greatest(1, ceil(count(f.*)::numeric / :page_size))::int AS pages
  FROM tpl t CROSS JOIN prod CROSS JOIN win
  LEFT JOIN mm.fact_template_daily f ON f.waba_id = t.waba_id AND f.template_id = t.template_id
       AND f.product = prod.product AND f.day BETWEEN win.ws AND win.we
  GROUP BY t.waba_id, t.batch, prod.product, win.idx)
SELECT json_build_object(
  'wabas', (SELECT count(*) FROM w),
  'wabas_insights_disabled', (SELECT n FROM disabled),
  'windows', (SELECT count(*) FROM win),
  'phone_numbers', (SELECT coalesce(sum(n), 0) FROM phones),
  'catalog_templates', (SELECT count(*) FROM tpl),
  'pricing_points', (SELECT coalesce(sum(points), 0) FROM pricing),
  'pricing_pages', (SELECT coalesce(sum(pages), 0) FROM pricing),
  'template_points', (SELECT coalesce(sum(points), 0) FROM tcalls),
  'template_calls', (SELECT count(*) FROM tcalls),
  'template_pages', (SELECT coalesce(sum(pages), 0) FROM tcalls));
