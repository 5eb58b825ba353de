-- Send-log records whose WABA is not known yet. The send-log tables are keyed by WABA from 0101 on
-- (`waba_id` NOT NULL in every key, so Citus can distribute them), and a message's WABA is resolved
-- when its lines are staged: an already stored message of the same wamid keeps its WABA (a
-- distribution column never changes), else the lines of the message say it (the send record's
-- waba_id, a webhook's entry id), else the sending phone number does (mm.dim_phone_number). A
-- message none of these resolves is held here, every
-- record of it, until a later send-log load resolves it (its send record, or a webhook naming its
-- WABA, arrives; or the nightly run has loaded its phone number): each load first takes every held
-- record back into its stage, so held records load exactly as if they had come with that file.
-- Nothing is dropped, and no message is half written: either all its records are in sendlog.*, or
-- all are here. The table stays on the coordinator (`etl`), outside the distributed schemas.

CREATE TABLE etl.sendlog_pending (
    kind                     text NOT NULL CHECK (kind IN ('s', 't')),
    wamid                    text NOT NULL,
    at                       timestamptz NOT NULL,
    status                   text,
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
    pricing_category         text,
    pricing_type             text,
    pricing_model            text,
    billable                 boolean,
    origin_type              text,
    route                    text,
    error_codes              integer[],
    errors                   jsonb,
    source_sha256            text NOT NULL,
    source_line              bigint NOT NULL,
    pending_since            timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT sendlog_pending_key UNIQUE NULLS NOT DISTINCT (wamid, kind, status, at)
);

COMMENT ON TABLE etl.sendlog_pending IS 'Send-log records (sends and statuses) of messages whose WABA could not be resolved yet (no waba_id or webhook entry id on any line of the message, no stored message of the same wamid, phone number not in mm.dim_phone_number). Every send-log load takes them back and loads those it can resolve; the rest stay. Same fields as the records, no phone number (recipients are hashed).';
COMMENT ON COLUMN etl.sendlog_pending.kind IS 's: a send record; t: a status record.';
COMMENT ON COLUMN etl.sendlog_pending.wamid IS 'WhatsApp message id.';
COMMENT ON COLUMN etl.sendlog_pending.at IS 'sent_at of a send record, the status timestamp of a status record.';
COMMENT ON COLUMN etl.sendlog_pending.status IS 'Lower-case status (status records); NULL for a send record.';
COMMENT ON COLUMN etl.sendlog_pending.recipient_hash IS 'HMAC-SHA256 of the recipient, as in sendlog.messages; never a phone number.';
COMMENT ON COLUMN etl.sendlog_pending.source_sha256 IS 'sha256 of the file (etl.sendlog_files) the record came from.';
COMMENT ON COLUMN etl.sendlog_pending.source_line IS 'Line of that file (0: moved here from sendlog.messages when its keys changed, line unknown).';
COMMENT ON COLUMN etl.sendlog_pending.pending_since IS 'When the record was first held.';
COMMENT ON COLUMN etl.sendlog_pending.phone_number_id IS 'Business phone number id as the record gave it (resolves the WABA once mm.dim_phone_number has it).';
COMMENT ON COLUMN etl.sendlog_pending.template_id IS 'Send record: template id (as sendlog.messages.template_id).';
COMMENT ON COLUMN etl.sendlog_pending.template_name IS 'Send record: template name.';
COMMENT ON COLUMN etl.sendlog_pending.language IS 'Send record: template language code.';
COMMENT ON COLUMN etl.sendlog_pending.recipient_country IS 'Country of the recipient''s calling code; NULL when unknown.';
COMMENT ON COLUMN etl.sendlog_pending.endpoint IS 'Send record: marketing_messages or messages.';
COMMENT ON COLUMN etl.sendlog_pending.product_policy IS 'Send record: CLOUD_API_FALLBACK or STRICT.';
COMMENT ON COLUMN etl.sendlog_pending.message_activity_sharing IS 'Send record: the per-message message_activity_sharing override.';
COMMENT ON COLUMN etl.sendlog_pending.campaign IS 'Send record: campaign label as logged.';
COMMENT ON COLUMN etl.sendlog_pending.pricing_category IS 'Status record: pricing.category, lower case.';
COMMENT ON COLUMN etl.sendlog_pending.pricing_type IS 'Status record: pricing.type.';
COMMENT ON COLUMN etl.sendlog_pending.pricing_model IS 'Status record: pricing.pricing_model.';
COMMENT ON COLUMN etl.sendlog_pending.billable IS 'Status record: pricing.billable.';
COMMENT ON COLUMN etl.sendlog_pending.origin_type IS 'Status record: conversation.origin.type, lower case.';
COMMENT ON COLUMN etl.sendlog_pending.route IS 'Status record: the route the status proves (mm_api, cloud_api, unknown).';
COMMENT ON COLUMN etl.sendlog_pending.error_codes IS 'Status record: codes of errors[]; NULL or empty when none.';
COMMENT ON COLUMN etl.sendlog_pending.errors IS 'Status record: errors[] as [{code,title,details}], numbers masked; NULL when none.';
