-- The send-log facts gain the campaign (as logged by the sender) and, for mm.fact_sends_daily, the
-- recipient's country, so failure rates by campaign and by country can be computed from sums
-- (mm.fact_errors already had the country). Their text keys move to the "C" collation of the API
-- facts, so the analyst views can combine both sides with UNION ALL and a (waba_id, day) index
-- serves a filter pushed down from those views; the new (waba_id, day) indexes are for exactly that.
-- The facts are rebuilt by sql/transforms from sendlog.*: existing rows keep NULL in the new columns
-- until their days are transformed again.
--
-- The three analyst views read these columns, so they are dropped here (a column's type cannot
-- change under a view) and defined again, completely, by 0052.
DROP VIEW mm.v_template_performance;
DROP VIEW mm.v_route_mix;
DROP VIEW mm.v_reconciliation;

ALTER TABLE mm.fact_sends_daily
    ALTER COLUMN waba_id TYPE text COLLATE "C",
    ALTER COLUMN phone_number_id TYPE text COLLATE "C",
    ALTER COLUMN template_id TYPE text COLLATE "C",
    ADD COLUMN campaign text COLLATE "C",
    ADD COLUMN recipient_country text COLLATE "C",
    DROP CONSTRAINT fact_sends_daily_key,
    ADD CONSTRAINT fact_sends_daily_key UNIQUE NULLS NOT DISTINCT
        (waba_id, phone_number_id, template_id, day, endpoint, route, campaign, recipient_country);
CREATE INDEX fact_sends_daily_waba_day_idx ON mm.fact_sends_daily (waba_id, day);

COMMENT ON TABLE mm.fact_sends_daily IS 'Messages of the local send log per WABA, phone number, template, WABA-local day, endpoint, route, campaign and recipient country, with how many were delivered, read and failed (from their statuses). Rebuilt from sendlog.* by sql/transforms/10_fact_sends_daily.sql.';
COMMENT ON COLUMN mm.fact_sends_daily.campaign IS 'Campaign label as logged by the sender (sendlog.messages.campaign); NULL when none was logged.';
COMMENT ON COLUMN mm.fact_sends_daily.recipient_country IS 'Recipient country (ISO alpha-2) from the recipient''s calling code; NULL when unknown.';

ALTER TABLE mm.fact_errors
    ALTER COLUMN waba_id TYPE text COLLATE "C",
    ALTER COLUMN phone_number_id TYPE text COLLATE "C",
    ALTER COLUMN template_id TYPE text COLLATE "C",
    ALTER COLUMN recipient_country TYPE text COLLATE "C",
    ADD COLUMN campaign text COLLATE "C",
    DROP CONSTRAINT fact_errors_key,
    ADD CONSTRAINT fact_errors_key UNIQUE NULLS NOT DISTINCT
        (waba_id, phone_number_id, template_id, route, day, error_code, recipient_country, campaign);
CREATE INDEX fact_errors_waba_day_idx ON mm.fact_errors (waba_id, day);

COMMENT ON TABLE mm.fact_errors IS 'Failed messages of the local send log per WABA, phone number, template, route, WABA-local day, error code, recipient country and campaign (Meta offers no API for template errors). Every error_code is in mm.dim_error_code (codes not in its catalog are added with is_known = false). Rebuilt by sql/transforms/20_fact_errors.sql.';
COMMENT ON COLUMN mm.fact_errors.campaign IS 'Campaign label as logged by the sender; NULL when none was logged.';
