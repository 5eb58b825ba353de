-- Row counts of the scale phase's generated warehouse, as one JSON object.
SELECT json_build_object(
  'fact_template_daily', (SELECT count(*) FROM mm.fact_template_daily),
  'fact_conversions', (SELECT count(*) FROM mm.fact_conversions),
  'fact_template_clicks', (SELECT count(*) FROM mm.fact_template_clicks),
  'fact_pricing', (SELECT count(*) FROM mm.fact_pricing),
  'sendlog_messages', (SELECT count(*) FROM sendlog.messages),
  'fact_sends_daily', (SELECT count(*) FROM mm.fact_sends_daily),
  'fact_template_performance_daily', (SELECT count(*) FROM mm.fact_template_performance_daily),
  'fact_benchmarks', (SELECT count(*) FROM mm.fact_benchmarks));
