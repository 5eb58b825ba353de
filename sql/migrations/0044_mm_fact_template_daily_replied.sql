-- Metric REPLIED of template_analytics (2026): a delivery metric, stored beside sent/delivered/read,
-- not as a conversion (so no conversion total counts it).
ALTER TABLE mm.fact_template_daily ADD COLUMN replied bigint;
COMMENT ON COLUMN mm.fact_template_daily.replied IS 'Messages replied to (metric REPLIED, data point key replied); NULL when the response has none (rows loaded before mmetl asked for it, or Meta omits it).';
