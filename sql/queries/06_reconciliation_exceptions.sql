-- Reconciliation exceptions, last 30 days: template-days where the send log and template_analytics
-- disagree beyond tolerance (mm.v_reconciliation: more than max(5 messages, 2 %) by default; set
-- mmetl.reconcile_tolerance_abs / _pct to change). Days still inside the settle window
-- (is_final = false) may simply not have caught up yet: reads grow for 7 days.
WITH asof AS (SELECT coalesce(nullif(current_setting('mmetl.as_of', true), '')::date, current_date) AS d)
SELECT r.waba_id, r.template_id, r.product, r.day, r.presence, r.is_final,
       r.sendlog_sent, r.api_sent, r.sent_delta,
       r.sendlog_delivered, r.api_delivered, r.delivered_delta,
       r.sendlog_read, r.api_read, r.read_delta
FROM mm.v_reconciliation r, asof
WHERE r.is_exception AND r.day > asof.d - 30 AND r.day <= asof.d
ORDER BY greatest(abs(r.sent_delta), abs(r.delivered_delta), abs(r.read_delta)) DESC, r.waba_id, r.template_id, r.day;
