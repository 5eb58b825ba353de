-- Rows the send-log phase's load produced, as one JSON object.
SELECT json_build_object(
  'messages', (SELECT count(*) FROM sendlog.messages),
  'statuses', (SELECT count(*) FROM sendlog.statuses),
  'fact_sends_daily', (SELECT count(*) FROM mm.fact_sends_daily),
  'fact_sends_daily_sent', (SELECT coalesce(sum(sent), 0) FROM mm.fact_sends_daily),
  'fact_errors', (SELECT count(*) FROM mm.fact_errors),
  'rejects', (SELECT count(*) FROM etl.sendlog_rejects));
