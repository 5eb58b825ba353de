-- The last `run` or `backfill` of a database, as one JSON object: its etl.runs row, per-dataset sums
-- of etl.run_items and etl.raw_pages, the tail after its last item (where sql/transforms run), and
-- the row counts of the four analytics facts.
WITH r AS (SELECT * FROM etl.runs WHERE command IN ('run', 'backfill') ORDER BY run_id DESC LIMIT 1)
SELECT json_build_object(
  'run_id', r.run_id, 'command', r.command, 'status', r.status, 'exit_code', r.exit_code,
  'api_calls', r.api_calls, 'throttle_waits', r.throttle_waits, 'bytes_archived', r.bytes_archived,
  'rows_loaded', r.rows_loaded,
  'db_seconds', extract(epoch FROM r.finished_at - r.started_at),
  'tail_after_last_item_s', extract(epoch FROM r.finished_at - (SELECT max(finished_at) FROM etl.run_items i WHERE i.run_id = r.run_id)),
  'last_item_epoch', (SELECT extract(epoch FROM max(finished_at)) FROM etl.run_items i WHERE i.run_id = r.run_id),
  'items', (SELECT json_object_agg(dataset, x) FROM (
      SELECT dataset, json_build_object(
        'n', count(*), 'failed', count(*) FILTER (WHERE status <> 'succeeded'),
        'api_calls', sum(api_calls), 'pages', sum(pages), 'load_seconds', coalesce(sum(seconds), 0),
        'rows_copied', sum(rows_copied), 'bytes_copied', sum(bytes_copied),
        'rows_inserted', sum(rows_inserted), 'rows_updated', sum(rows_updated),
        'data_points', coalesce(sum((diagnostics->>'data_points')::bigint), 0),
        'first_start', min(started_at), 'last_finish', max(finished_at)) AS x
      FROM etl.run_items WHERE run_id = r.run_id GROUP BY dataset) s),
  'raw_pages', (SELECT json_object_agg(dataset, x) FROM (
      SELECT dataset, json_build_object('n', count(*), 'raw_bytes', sum(raw_bytes), 'compressed_bytes', sum(compressed_bytes)) AS x
      FROM etl.raw_pages WHERE run_id = r.run_id GROUP BY dataset) p),
  'facts', json_build_object(
      'mm.fact_template_daily', (SELECT count(*) FROM mm.fact_template_daily),
      'mm.fact_pricing', (SELECT count(*) FROM mm.fact_pricing),
      'mm.fact_conversions', (SELECT count(*) FROM mm.fact_conversions),
      'mm.fact_template_clicks', (SELECT count(*) FROM mm.fact_template_clicks))
) FROM r;
