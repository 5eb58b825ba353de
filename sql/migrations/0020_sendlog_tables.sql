-- The local send log: one row per message (wamid) and one per delivery status.
-- Loaded by `mmetl sendlog load` (COPY into a temporary stage, then guarded merges), so loading a
-- file twice, or overlapping files, changes nothing, and a send row may arrive after its statuses.
-- Privacy: no phone number is stored anywhere — the recipient is a country and a keyed hash.

CREATE TABLE sendlog.messages (
    wamid                    text PRIMARY KEY,
    waba_id                  text,
    phone_number_id          text,
    template_id              text,
    template_name            text,
    language                 text,
    recipient_hash           text,
    recipient_country        text,
    endpoint                 text,
    product_policy           text,
    message_activity_sharing boolean,
    campaign                 text,
    sent_at                  timestamptz,
    first_status_at          timestamptz,
    occurred_at              timestamptz GENERATED ALWAYS AS (coalesce(sent_at, first_status_at)) STORED,
    sent_status_at           timestamptz,
    delivered_at             timestamptz,
    read_at                  timestamptz,
    failed_at                timestamptz,
    last_status              text,
    last_status_at           timestamptz,
    route                    text NOT NULL DEFAULT 'unknown' CHECK (route IN ('mm_api', 'cloud_api', 'unknown')),
    pricing_category         text,
    source_sha256            text NOT NULL,
    run_id                   bigint,
    loaded_at                timestamptz NOT NULL DEFAULT now(),
    updated_at               timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 80);  -- room for the status summary update of a fresh row to stay on its page (HOT)
CREATE INDEX messages_occurred_at_idx ON sendlog.messages (occurred_at);

COMMENT ON TABLE sendlog.messages IS 'One row per message (wamid) of the local send log: what was sent (from the send record) and a summary of its statuses (from sendlog.statuses). A message known only from its statuses has sent_at NULL until its send record is loaded.';
COMMENT ON COLUMN sendlog.messages.wamid IS 'WhatsApp message id (wamid.…), the natural key.';
COMMENT ON COLUMN sendlog.messages.waba_id IS 'WhatsApp Business Account id, from the send record, else the webhook entry id.';
COMMENT ON COLUMN sendlog.messages.phone_number_id IS 'Sending business phone number id, from the send record, else the webhook metadata.';
COMMENT ON COLUMN sendlog.messages.template_id IS 'Template id (send record only; NULL for a message known only from statuses).';
COMMENT ON COLUMN sendlog.messages.template_name IS 'Template name as logged by the sender.';
COMMENT ON COLUMN sendlog.messages.language IS 'Template language code as logged (e.g. en_US).';
COMMENT ON COLUMN sendlog.messages.recipient_hash IS 'HMAC-SHA256 (hex) of the recipient''s E.164 digits under the recipient hash key (MMETL_RECIPIENT_HASH_KEY). The phone number itself is never stored.';
COMMENT ON COLUMN sendlog.messages.recipient_country IS 'ISO 3166-1 alpha-2 country of the recipient''s calling code (mm.dim_calling_code, longest prefix); NULL when none matches.';
COMMENT ON COLUMN sendlog.messages.endpoint IS 'Send endpoint as logged: marketing_messages (MM API) or messages (Cloud API).';
COMMENT ON COLUMN sendlog.messages.product_policy IS 'product_policy of the send: CLOUD_API_FALLBACK or STRICT.';
COMMENT ON COLUMN sendlog.messages.message_activity_sharing IS 'Per-message message_activity_sharing override, when logged.';
COMMENT ON COLUMN sendlog.messages.campaign IS 'Campaign label as logged by the sender.';
COMMENT ON COLUMN sendlog.messages.sent_at IS 'When the sender sent the message (send record); NULL until the send record is loaded.';
COMMENT ON COLUMN sendlog.messages.first_status_at IS 'Earliest status timestamp of the message.';
COMMENT ON COLUMN sendlog.messages.occurred_at IS 'sent_at, else first_status_at: the instant whose WABA-local date is the message''s day in mm.fact_sends_daily.';
COMMENT ON COLUMN sendlog.messages.sent_status_at IS 'Earliest sent status.';
COMMENT ON COLUMN sendlog.messages.delivered_at IS 'Earliest delivered status (a read message may have none: see read_at).';
COMMENT ON COLUMN sendlog.messages.read_at IS 'Earliest read status.';
COMMENT ON COLUMN sendlog.messages.failed_at IS 'Earliest failed status.';
COMMENT ON COLUMN sendlog.messages.last_status IS 'Status with the latest timestamp.';
COMMENT ON COLUMN sendlog.messages.last_status_at IS 'Latest status timestamp of the message.';
COMMENT ON COLUMN sendlog.messages.route IS 'Route that carried the message: mm_api when a status carried pricing category or conversation origin marketing_lite, cloud_api when marketing, else unknown.';
COMMENT ON COLUMN sendlog.messages.pricing_category IS 'Pricing category of the message''s statuses (marketing_lite wins over others when they differ).';
COMMENT ON COLUMN sendlog.messages.source_sha256 IS 'sha256 of the file (etl.sendlog_files) that first brought this message.';
COMMENT ON COLUMN sendlog.messages.run_id IS 'Run (etl.runs) that first loaded this message, when known.';
COMMENT ON COLUMN sendlog.messages.loaded_at IS 'When the row was first loaded.';
COMMENT ON COLUMN sendlog.messages.updated_at IS 'When the row last changed (send record arriving, new statuses).';

CREATE TABLE sendlog.statuses (
    wamid            text NOT NULL,
    status           text NOT NULL,
    status_at        timestamptz NOT NULL,
    waba_id          text,
    phone_number_id  text,
    pricing_category text,
    pricing_type     text,
    pricing_model    text,
    billable         boolean,
    origin_type      text,
    route            text NOT NULL CHECK (route IN ('mm_api', 'cloud_api', 'unknown')),
    error_codes      integer[] NOT NULL DEFAULT '{}',
    errors           jsonb,
    source_sha256    text NOT NULL,
    source_line      bigint NOT NULL,
    loaded_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (wamid, status, status_at)
);

COMMENT ON TABLE sendlog.statuses IS 'One row per message × status × timestamp, from raw messages webhooks or flattened status records; duplicates (the same webhook delivered twice, files loaded twice) collapse onto the key.';
COMMENT ON COLUMN sendlog.statuses.wamid IS 'WhatsApp message id (statuses[].id).';
COMMENT ON COLUMN sendlog.statuses.status IS 'Lower-case status: sent, delivered, read, failed, played, or any new value as received.';
COMMENT ON COLUMN sendlog.statuses.status_at IS 'Status timestamp (webhook epoch seconds, or ISO-8601 in flattened records).';
COMMENT ON COLUMN sendlog.statuses.waba_id IS 'WABA id from the webhook entry id (or a flattened waba_id).';
COMMENT ON COLUMN sendlog.statuses.phone_number_id IS 'Business phone number id from the webhook metadata (or a flattened phone_number_id).';
COMMENT ON COLUMN sendlog.statuses.pricing_category IS 'pricing.category as received, lower case (marketing_lite, marketing, utility, …); NULL when the status had no pricing.';
COMMENT ON COLUMN sendlog.statuses.pricing_type IS 'pricing.type as received (regular, free_customer_service, free_entry_point).';
COMMENT ON COLUMN sendlog.statuses.pricing_model IS 'pricing.pricing_model as received (PMP, CBP).';
COMMENT ON COLUMN sendlog.statuses.billable IS 'pricing.billable as received (slated for deprecation by Meta).';
COMMENT ON COLUMN sendlog.statuses.origin_type IS 'conversation.origin.type as received, lower case.';
COMMENT ON COLUMN sendlog.statuses.route IS 'Route this status proves: mm_api (marketing_lite), cloud_api (marketing) or unknown.';
COMMENT ON COLUMN sendlog.statuses.error_codes IS 'Codes of errors[] (failed statuses), in order; empty when none.';
COMMENT ON COLUMN sendlog.statuses.errors IS 'errors[] as [{code,title,details}], with any recipient number masked as <phone>; NULL when none.';
COMMENT ON COLUMN sendlog.statuses.source_sha256 IS 'sha256 of the file (etl.sendlog_files) that first brought this status.';
COMMENT ON COLUMN sendlog.statuses.source_line IS 'Line of that file.';
COMMENT ON COLUMN sendlog.statuses.loaded_at IS 'When the row was loaded.';

-- The day buckets of mm.fact_sends_daily / mm.fact_errors: WABA-local dates of occurred_at.
CREATE FUNCTION sendlog.local_day(at timestamptz, tz text) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT (at AT TIME ZONE coalesce(nullif(tz, ''), 'UTC'))::date $$;
COMMENT ON FUNCTION sendlog.local_day(timestamptz, text) IS 'The date of an instant in an IANA timezone (UTC when NULL or empty).';
