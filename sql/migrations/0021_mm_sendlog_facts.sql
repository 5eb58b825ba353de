-- Facts derived from the local send log (sendlog.*) by sql/transforms: daily sends per route and
-- delivery errors. Rebuilt per WABA-local day range (delete and insert), so they carry the run
-- and time of their computation rather than fetch bookkeeping.
-- Unknown dimension values are NULL (a message known only from webhooks has no template), and
-- the unique keys treat NULLs as equal.

CREATE TABLE mm.fact_sends_daily (
    waba_id         text,
    phone_number_id text,
    template_id     text,
    day             date NOT NULL,
    endpoint        text,
    route           text NOT NULL CHECK (route IN ('mm_api', 'cloud_api', 'unknown')),
    product         text CHECK (product IN ('mm_api', 'cloud_api')),
    sent            bigint NOT NULL,
    delivered       bigint NOT NULL,
    read            bigint NOT NULL,
    failed          bigint NOT NULL,
    run_id          bigint,
    computed_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fact_sends_daily_key UNIQUE NULLS NOT DISTINCT (waba_id, phone_number_id, template_id, day, endpoint, route)
);
CREATE INDEX fact_sends_daily_day_idx ON mm.fact_sends_daily (day);

COMMENT ON TABLE mm.fact_sends_daily IS 'Messages of the local send log per WABA, phone number, template, WABA-local day, endpoint and route, with how many were delivered, read and failed (from their statuses). Rebuilt from sendlog.* by sql/transforms/10_fact_sends_daily.sql.';
COMMENT ON COLUMN mm.fact_sends_daily.waba_id IS 'WhatsApp Business Account id; NULL when the send log did not say.';
COMMENT ON COLUMN mm.fact_sends_daily.phone_number_id IS 'Sending business phone number id; NULL when unknown.';
COMMENT ON COLUMN mm.fact_sends_daily.template_id IS 'Template id; NULL for messages known only from status webhooks (no send record).';
COMMENT ON COLUMN mm.fact_sends_daily.day IS 'The message''s day: date of its send time (else its first status) in the WABA''s timezone (mm.dim_waba.timezone; UTC when the WABA is unknown).';
COMMENT ON COLUMN mm.fact_sends_daily.endpoint IS 'Send endpoint: marketing_messages (MM API) or messages (Cloud API); NULL without a send record.';
COMMENT ON COLUMN mm.fact_sends_daily.route IS 'Route that carried the messages: mm_api (a status said marketing_lite), cloud_api (marketing), unknown (no pricing seen, or another category such as utility).';
COMMENT ON COLUMN mm.fact_sends_daily.product IS 'The API product these messages count under in mm.fact_template_daily / mm.fact_pricing: the route, else cloud_api for the messages endpoint (it never uses the MM API), else NULL.';
COMMENT ON COLUMN mm.fact_sends_daily.sent IS 'Messages sent (every message of the send log, including those that later failed, as the API counts sent).';
COMMENT ON COLUMN mm.fact_sends_daily.delivered IS 'Messages with a delivered or read status.';
COMMENT ON COLUMN mm.fact_sends_daily.read IS 'Messages with a read status.';
COMMENT ON COLUMN mm.fact_sends_daily.failed IS 'Messages with a failed status.';
COMMENT ON COLUMN mm.fact_sends_daily.run_id IS 'The run (etl.runs) whose transform computed the row, when known.';
COMMENT ON COLUMN mm.fact_sends_daily.computed_at IS 'When the row was computed.';

CREATE TABLE mm.fact_errors (
    waba_id           text,
    phone_number_id   text,
    template_id       text,
    route             text NOT NULL CHECK (route IN ('mm_api', 'cloud_api', 'unknown')),
    day               date NOT NULL,
    error_code        integer,
    recipient_country text,
    failures          bigint NOT NULL,
    run_id            bigint,
    computed_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT fact_errors_key UNIQUE NULLS NOT DISTINCT (waba_id, phone_number_id, template_id, route, day, error_code, recipient_country)
);
CREATE INDEX fact_errors_day_idx ON mm.fact_errors (day);
CREATE INDEX fact_errors_code_idx ON mm.fact_errors (error_code);

COMMENT ON TABLE mm.fact_errors IS 'Failed messages of the local send log per WABA, phone number, template, route, WABA-local day, error code and recipient country (Meta offers no API for template errors). Every error_code is in mm.dim_error_code (codes not in its catalog are added with is_known = false). Rebuilt by sql/transforms/20_fact_errors.sql.';
COMMENT ON COLUMN mm.fact_errors.waba_id IS 'WhatsApp Business Account id; NULL when unknown.';
COMMENT ON COLUMN mm.fact_errors.phone_number_id IS 'Sending business phone number id; NULL when unknown.';
COMMENT ON COLUMN mm.fact_errors.template_id IS 'Template id; NULL for messages known only from status webhooks.';
COMMENT ON COLUMN mm.fact_errors.route IS 'Route of the message (as in mm.fact_sends_daily).';
COMMENT ON COLUMN mm.fact_errors.day IS 'The message''s WABA-local day (as in mm.fact_sends_daily), not the day of the failure.';
COMMENT ON COLUMN mm.fact_errors.error_code IS 'errors[].code of the failed status (join mm.dim_error_code); NULL when the failure carried no error.';
COMMENT ON COLUMN mm.fact_errors.recipient_country IS 'Recipient country from the calling code (e.g. US for the US marketing block, 131049); NULL when unknown.';
COMMENT ON COLUMN mm.fact_errors.failures IS 'Distinct failed messages with this error code (a message with two codes counts under each).';
COMMENT ON COLUMN mm.fact_errors.run_id IS 'The run (etl.runs) whose transform computed the row, when known.';
COMMENT ON COLUMN mm.fact_errors.computed_at IS 'When the row was computed.';

-- Codes seen in webhooks but missing from the seeded catalog are added by the errors transform,
-- flagged here so analysts can tell them apart.
ALTER TABLE mm.dim_error_code ADD COLUMN is_known boolean NOT NULL DEFAULT true;
COMMENT ON COLUMN mm.dim_error_code.is_known IS 'true for the seeded catalog; false for a code first seen in a send-log webhook and added by sql/transforms/20_fact_errors.sql (title as received, meaning unknown).';
