-- Templates below their peers: each template's latest peer-benchmark row
-- (mm.v_template_peer_benchmark_latest: MM API rates over the trailing window against the 75th
-- percentile of OTHER businesses of this warehouse in the same category, industry and country or
-- region; not Meta's own benchmark numbers) whose read or click rate is under that percentile, with
-- the gap in percentage points. Rows whose cohort is none (no comparable businesses) are left out.
SELECT l.waba_id, l.template_id, l.template_name, l.day, l.peer_cohort, l.peer_businesses,
       round(100 * l.read_rate, 2) AS read_rate_pct, round(100 * l.peer_p75_read_rate::numeric, 2) AS peer_p75_read_rate_pct,
       round(100 * l.read_rate_vs_peer_p75, 2) AS read_gap_points,
       round(100 * l.click_rate, 2) AS click_rate_pct, round(100 * l.peer_p75_click_rate::numeric, 2) AS peer_p75_click_rate_pct,
       round(100 * l.click_rate_vs_peer_p75, 2) AS click_gap_points,
       round(100 * l.read_rate_peer_percent_rank::numeric) AS read_peer_percentile
FROM mm.v_template_peer_benchmark_latest l
WHERE l.peer_cohort <> 'none'
  AND (l.read_rate < l.peer_p75_read_rate OR l.click_rate < l.peer_p75_click_rate)
ORDER BY read_gap_points, l.waba_id, l.template_id;
