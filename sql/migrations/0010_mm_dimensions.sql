-- Dimensions of the analyst schema `mm`: countries (with E.164 dialing prefixes), error codes,
-- WABAs, phone numbers and the template catalog with history (SCD type 2).
-- Seed data for mm.dim_country / mm.dim_calling_code is in 0011, for mm.dim_error_code in 0012.

-- ---------------------------------------------------------------------------------------------
-- Countries
CREATE TABLE mm.dim_country (
    country_code                text PRIMARY KEY CONSTRAINT dim_country_code_check CHECK (country_code ~ '^[A-Z]{2}$'),
    iso3                        text NOT NULL,
    iso_numeric                 text,
    name                        text NOT NULL,
    calling_codes               text[] NOT NULL,
    region                      text NOT NULL,
    subregion                   text NOT NULL,
    is_eea                      boolean NOT NULL,
    mm_click_conversion_metrics boolean NOT NULL,
    us_marketing_block          boolean NOT NULL,
    sanctioned                  boolean NOT NULL,
    note                        text
);

COMMENT ON TABLE mm.dim_country IS 'One row per country or territory (ISO 3166-1 alpha-2, plus XK Kosovo): name, E.164 calling codes, UN M49 region, and where Meta''s Marketing Messages API features differ. Seeded by migration 0011 from iso-codes, CLDR and libphonenumber; Meta''s rules from its "Geographic availability of features" page.';
COMMENT ON COLUMN mm.dim_country.country_code IS 'ISO 3166-1 alpha-2 code (upper case), as in mm.fact_pricing.country and the send log''s recipient country.';
COMMENT ON COLUMN mm.dim_country.iso3 IS 'ISO 3166-1 alpha-3 code.';
COMMENT ON COLUMN mm.dim_country.iso_numeric IS 'ISO 3166-1 numeric code (NULL for XK).';
COMMENT ON COLUMN mm.dim_country.name IS 'Common English name (iso-codes).';
COMMENT ON COLUMN mm.dim_country.calling_codes IS 'E.164 country calling codes without "+" (e.g. {1} for Canada, {44} for Jersey); empty when none. Several countries can share one: resolve a number with mm.country_of_e164 or mm.dim_calling_code, not with this column.';
COMMENT ON COLUMN mm.dim_country.region IS 'UN M49 continent as CLDR groups it: Africa, Americas, Asia, Europe, Oceania. The benchmark cohort falls back to it.';
COMMENT ON COLUMN mm.dim_country.subregion IS 'UN M49 sub-region (e.g. Western Europe, South America).';
COMMENT ON COLUMN mm.dim_country.is_eea IS 'In the European Economic Area (EU 27 with its outermost regions and Åland, Iceland, Liechtenstein, Norway).';
COMMENT ON COLUMN mm.dim_country.mm_click_conversion_metrics IS 'Whether Meta reports MM API click and conversion metrics (and applies delivery optimizations) for messages from or to this country: false in the EEA, the UK, Japan, South Korea and Russia (and in sanctioned countries). Zero clicks there mean "not measured", not "not clicked".';
COMMENT ON COLUMN mm.dim_country.us_marketing_block IS 'Marketing messages to WhatsApp users here are not delivered (error 131049), since 2025-04-01 and on every API: true for the US only.';
COMMENT ON COLUMN mm.dim_country.sanctioned IS 'Businesses cannot onboard and messages cannot be sent to consumers here (Cuba, Iran, North Korea, Syria).';
COMMENT ON COLUMN mm.dim_country.note IS 'Exceptions and assumptions worth knowing (partial sanctions, shared calling codes, territories).';

CREATE TABLE mm.dim_calling_code (
    prefix       text PRIMARY KEY CONSTRAINT dim_calling_code_prefix_check CHECK (prefix ~ '^[0-9]{1,12}$'),
    country_code text NOT NULL REFERENCES mm.dim_country (country_code),
    calling_code text NOT NULL
);
CREATE INDEX dim_calling_code_country_idx ON mm.dim_calling_code (country_code);

COMMENT ON TABLE mm.dim_calling_code IS 'E.164 dialing prefixes → country; the longest prefix of a number''s digits wins (use mm.country_of_e164). Shared codes are split: +1 by area code (Canada and the Caribbean; any other +1 number is US), +7 7 Kazakhstan, +44 crown dependencies, and others. Seeded by migration 0011 from libphonenumber.';
COMMENT ON COLUMN mm.dim_calling_code.prefix IS 'Leading digits of an international number without "+" (e.g. 1, 1204, 44, 447781).';
COMMENT ON COLUMN mm.dim_calling_code.country_code IS 'The country (mm.dim_country) of numbers starting with this prefix, unless a longer prefix matches.';
COMMENT ON COLUMN mm.dim_calling_code.calling_code IS 'The E.164 country calling code the prefix starts with.';

CREATE FUNCTION mm.country_of_e164(number text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH digits AS (SELECT regexp_replace(regexp_replace(number, '^\s*(\+|00)', ''), '\D', '', 'g') AS d)
    SELECT c.country_code
    FROM digits, mm.dim_calling_code c
    WHERE c.prefix = ANY (ARRAY[left(d, 1), left(d, 2), left(d, 3), left(d, 4), left(d, 5), left(d, 6),
                                left(d, 7), left(d, 8), left(d, 9), left(d, 10)])
      AND d <> ''
    ORDER BY length(c.prefix) DESC
    LIMIT 1
$$;
COMMENT ON FUNCTION mm.country_of_e164(text) IS 'ISO country of an international phone number ("+1 204 555 0100", "0044…", "4915…"): longest matching prefix in mm.dim_calling_code; NULL for non-geographic codes, unknown codes and empty input.';
GRANT EXECUTE ON FUNCTION mm.country_of_e164(text) TO mmetl_analyst;

-- ---------------------------------------------------------------------------------------------
-- Error codes
CREATE TABLE mm.dim_error_code (
    code      integer PRIMARY KEY,
    title     text NOT NULL,
    meaning   text NOT NULL,
    category  text NOT NULL CONSTRAINT dim_error_code_category_check
        CHECK (category IN ('graph', 'auth', 'rate_limit', 'delivery', 'policy', 'template', 'account')),
    retryable boolean NOT NULL,
    source    text NOT NULL
);

COMMENT ON TABLE mm.dim_error_code IS 'Graph API and WhatsApp error codes seen in API responses and send-log status webhooks: title, meaning and whether retrying can help. Seeded by migration 0012 from Meta''s error-code documentation (shared/reference/graph-api-analytics.md §5). Codes not listed still load into the facts; join with a LEFT JOIN.';
COMMENT ON COLUMN mm.dim_error_code.code IS 'The numeric error code (Graph error.code, or the webhook status errors[].code).';
COMMENT ON COLUMN mm.dim_error_code.title IS 'Short title.';
COMMENT ON COLUMN mm.dim_error_code.meaning IS 'What it means and what to do about it.';
COMMENT ON COLUMN mm.dim_error_code.category IS 'graph (API call failed), auth (token/permission), rate_limit, delivery (recipient-side), policy (Meta policy or per-user limits), template, account (WABA or business state).';
COMMENT ON COLUMN mm.dim_error_code.retryable IS 'Whether sending the same request again later can succeed without changing anything (rate limits, transient server errors). False when the request, the template, the account or the recipient must change first, or when Meta asks not to retry (131049).';
COMMENT ON COLUMN mm.dim_error_code.source IS 'Where the meaning comes from.';

-- ---------------------------------------------------------------------------------------------
-- WABAs and phone numbers (latest state; upserted by every run)
CREATE TABLE mm.dim_waba (
    waba_id                 text PRIMARY KEY,
    name                    text NOT NULL DEFAULT '',
    currency                text NOT NULL DEFAULT '',
    timezone_id             text NOT NULL DEFAULT '',
    timezone                text NOT NULL DEFAULT 'UTC',
    timezone_source         text NOT NULL DEFAULT '',
    country                 text NOT NULL DEFAULT '',
    region                  text,
    industry                text NOT NULL DEFAULT '',
    mm_onboarding_status    text NOT NULL DEFAULT '',
    insights_enabled        boolean,
    first_seen_at           timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    run_id                  bigint
);

COMMENT ON TABLE mm.dim_waba IS 'One row per WhatsApp Business Account (WABA) loaded: its own fields from GET /<WABA_ID> and what the pipeline file says about it. Latest state only (updated in place when something changes).';
COMMENT ON COLUMN mm.dim_waba.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.dim_waba.name IS 'WABA name (Graph field name).';
COMMENT ON COLUMN mm.dim_waba.currency IS 'Currency of the WABA''s costs (Graph field currency, ISO 4217). Facts carry their own currency because a WABA''s currency can change.';
COMMENT ON COLUMN mm.dim_waba.timezone_id IS 'Meta''s numeric timezone id as returned (Graph field timezone_id), not an IANA name.';
COMMENT ON COLUMN mm.dim_waba.timezone IS 'IANA timezone used for the facts'' WABA-local day.';
COMMENT ON COLUMN mm.dim_waba.timezone_source IS 'Where timezone came from: pipeline (override in the pipeline file), response (waba_timezone echoed by template_analytics), table (mmetl''s id → IANA table), utc-fallback (unknown id: UTC assumed).';
COMMENT ON COLUMN mm.dim_waba.country IS 'The business''s country (ISO alpha-2, mm.dim_country), from the pipeline file; empty when unknown.';
COMMENT ON COLUMN mm.dim_waba.region IS 'UN M49 region of country (from mm.dim_country); NULL when the country is unknown.';
COMMENT ON COLUMN mm.dim_waba.industry IS 'The business''s industry for benchmark cohorts (pipeline file industry, else the phone numbers'' business-profile vertical).';
COMMENT ON COLUMN mm.dim_waba.mm_onboarding_status IS 'Marketing Messages API onboarding status as reported or configured (e.g. ONBOARDED); empty when unknown.';
COMMENT ON COLUMN mm.dim_waba.insights_enabled IS 'Whether template analytics are enabled (Graph field is_enabled_for_insights); NULL when not read.';
COMMENT ON COLUMN mm.dim_waba.first_seen_at IS 'When mmetl first loaded this WABA.';
COMMENT ON COLUMN mm.dim_waba.updated_at IS 'When a field of this row last changed.';
COMMENT ON COLUMN mm.dim_waba.run_id IS 'The run (etl.runs) that last changed this row.';

CREATE TABLE mm.dim_phone_number (
    waba_id              text NOT NULL,
    phone_number_id      text NOT NULL,
    display_phone_number text NOT NULL DEFAULT '',
    display_digits       text GENERATED ALWAYS AS (regexp_replace(display_phone_number, '\D', '', 'g')) STORED,
    verified_name        text NOT NULL DEFAULT '',
    quality_rating       text NOT NULL DEFAULT '',
    vertical             text NOT NULL DEFAULT '',
    first_seen_at        timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    run_id               bigint,
    PRIMARY KEY (waba_id, phone_number_id)
);
CREATE INDEX dim_phone_number_digits_idx ON mm.dim_phone_number (waba_id, display_digits);

COMMENT ON TABLE mm.dim_phone_number IS 'Business phone numbers of each WABA (GET /<WABA_ID>/phone_numbers and the business profile). Latest state only.';
COMMENT ON COLUMN mm.dim_phone_number.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.dim_phone_number.phone_number_id IS 'Phone number id (the id used to send; send-log phone_number_id).';
COMMENT ON COLUMN mm.dim_phone_number.display_phone_number IS 'The number as Meta displays it (e.g. "+1 555-078-3881").';
COMMENT ON COLUMN mm.dim_phone_number.display_digits IS 'display_phone_number with only its digits: joins mm.fact_pricing.phone_number.';
COMMENT ON COLUMN mm.dim_phone_number.verified_name IS 'Verified display name.';
COMMENT ON COLUMN mm.dim_phone_number.quality_rating IS 'Quality rating as last read (GREEN, YELLOW, RED, UNKNOWN).';
COMMENT ON COLUMN mm.dim_phone_number.vertical IS 'Business-profile vertical (industry), e.g. RETAIL.';
COMMENT ON COLUMN mm.dim_phone_number.first_seen_at IS 'When mmetl first loaded this number.';
COMMENT ON COLUMN mm.dim_phone_number.updated_at IS 'When a field of this row last changed.';
COMMENT ON COLUMN mm.dim_phone_number.run_id IS 'The run (etl.runs) that last changed this row.';

-- ---------------------------------------------------------------------------------------------
-- Templates: versions (SCD type 2) + when each was last seen, joined by the view mm.dim_template.
--
-- Decision: last_seen_at changes on every catalog fetch while the attributes rarely do. Keeping it
-- on the version row would rewrite every current version (a dead tuple each) every night; it lives
-- in the narrow mm.dim_template_seen instead (fillfactor 50 keeps its updates HOT), and the view
-- mm.dim_template puts both together under the contract's name.
CREATE TABLE mm.dim_template_version (
    waba_id       text NOT NULL,
    template_id   text NOT NULL,
    valid_from    timestamptz NOT NULL,
    valid_to      timestamptz,
    is_current    boolean NOT NULL DEFAULT true,
    name          text NOT NULL,
    language      text NOT NULL,
    category      text NOT NULL,
    status        text NOT NULL,
    quality_score text NOT NULL,
    bid_amount    numeric,
    bid_currency  text NOT NULL DEFAULT '',
    ttl_seconds   bigint,
    run_id        bigint,
    PRIMARY KEY (waba_id, template_id, valid_from),
    CONSTRAINT dim_template_version_current_check CHECK (is_current = (valid_to IS NULL)),
    CONSTRAINT dim_template_version_range_check CHECK (valid_to IS NULL OR valid_to > valid_from)
);
CREATE UNIQUE INDEX dim_template_version_current_idx ON mm.dim_template_version (waba_id, template_id) WHERE is_current;

COMMENT ON TABLE mm.dim_template_version IS 'History of each message template''s attributes (SCD type 2) from catalog snapshots (GET /<WABA_ID>/message_templates): a changed attribute closes the current version (valid_to, is_current = false) and opens a new one. Analysts usually read the view mm.dim_template.';
COMMENT ON COLUMN mm.dim_template_version.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.dim_template_version.template_id IS 'Message template id.';
COMMENT ON COLUMN mm.dim_template_version.valid_from IS 'Fetch time of the first catalog snapshot showing these attributes.';
COMMENT ON COLUMN mm.dim_template_version.valid_to IS 'Fetch time of the first snapshot showing different attributes; NULL while current.';
COMMENT ON COLUMN mm.dim_template_version.is_current IS 'True for the latest version of the template (valid_to IS NULL).';
COMMENT ON COLUMN mm.dim_template_version.name IS 'Template name.';
COMMENT ON COLUMN mm.dim_template_version.language IS 'Template language code (e.g. en_US).';
COMMENT ON COLUMN mm.dim_template_version.category IS 'Template category (MARKETING, UTILITY, AUTHENTICATION).';
COMMENT ON COLUMN mm.dim_template_version.status IS 'Review status (APPROVED, PAUSED, REJECTED, DISABLED, …).';
COMMENT ON COLUMN mm.dim_template_version.quality_score IS 'Quality score (GREEN, YELLOW, RED, UNKNOWN); empty when not returned.';
COMMENT ON COLUMN mm.dim_template_version.bid_amount IS 'Maximum price per delivered message (bid_spec.bid_amount) set for MM API delivery; NULL when none.';
COMMENT ON COLUMN mm.dim_template_version.bid_currency IS 'Currency of bid_amount; empty when none.';
COMMENT ON COLUMN mm.dim_template_version.ttl_seconds IS 'Message time-to-live (message_send_ttl_seconds); NULL when not set.';
COMMENT ON COLUMN mm.dim_template_version.run_id IS 'The run (etl.runs) that opened or last closed this version.';

CREATE TABLE mm.dim_template_seen (
    waba_id          text NOT NULL,
    template_id      text NOT NULL,
    first_seen_at    timestamptz NOT NULL,
    last_seen_at     timestamptz NOT NULL,
    last_seen_run_id bigint,
    PRIMARY KEY (waba_id, template_id)
) WITH (fillfactor = 50);

COMMENT ON TABLE mm.dim_template_seen IS 'When each template was first and last returned by a catalog snapshot. A template the API no longer returns keeps its rows everywhere; only its last_seen_at stops moving.';
COMMENT ON COLUMN mm.dim_template_seen.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.dim_template_seen.template_id IS 'Message template id.';
COMMENT ON COLUMN mm.dim_template_seen.first_seen_at IS 'Fetch time of the first catalog snapshot that contained the template.';
COMMENT ON COLUMN mm.dim_template_seen.last_seen_at IS 'Fetch time of the latest catalog snapshot that contained the template.';
COMMENT ON COLUMN mm.dim_template_seen.last_seen_run_id IS 'The run (etl.runs) of that latest snapshot.';

CREATE VIEW mm.dim_template AS
SELECT v.waba_id, v.template_id, v.name, v.language, v.category, v.status, v.quality_score,
       v.bid_amount, v.bid_currency, v.ttl_seconds, v.valid_from, v.valid_to, v.is_current,
       s.first_seen_at, s.last_seen_at, v.run_id
FROM mm.dim_template_version v
LEFT JOIN mm.dim_template_seen s USING (waba_id, template_id);

COMMENT ON VIEW mm.dim_template IS 'Message templates with history: one row per version (mm.dim_template_version) with when the template was first/last seen in the catalog (mm.dim_template_seen). Current attributes: WHERE is_current. Attributes on a day D: WHERE valid_from <= D AND (valid_to IS NULL OR valid_to > D).';
COMMENT ON COLUMN mm.dim_template.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.dim_template.template_id IS 'Message template id (joins the facts'' template_id).';
COMMENT ON COLUMN mm.dim_template.name IS 'Template name.';
COMMENT ON COLUMN mm.dim_template.language IS 'Template language code (e.g. en_US).';
COMMENT ON COLUMN mm.dim_template.category IS 'Template category (MARKETING, UTILITY, AUTHENTICATION).';
COMMENT ON COLUMN mm.dim_template.status IS 'Review status (APPROVED, PAUSED, REJECTED, DISABLED, …).';
COMMENT ON COLUMN mm.dim_template.quality_score IS 'Quality score (GREEN, YELLOW, RED, UNKNOWN); empty when not returned.';
COMMENT ON COLUMN mm.dim_template.bid_amount IS 'Maximum price per delivered message (bid_spec.bid_amount); NULL when none.';
COMMENT ON COLUMN mm.dim_template.bid_currency IS 'Currency of bid_amount; empty when none.';
COMMENT ON COLUMN mm.dim_template.ttl_seconds IS 'Message time-to-live in seconds (message_send_ttl_seconds); NULL when not set.';
COMMENT ON COLUMN mm.dim_template.valid_from IS 'Fetch time of the first catalog snapshot showing this version.';
COMMENT ON COLUMN mm.dim_template.valid_to IS 'Fetch time of the snapshot that replaced this version; NULL while current.';
COMMENT ON COLUMN mm.dim_template.is_current IS 'True for the template''s latest version.';
COMMENT ON COLUMN mm.dim_template.first_seen_at IS 'Fetch time of the first catalog snapshot containing the template (any version).';
COMMENT ON COLUMN mm.dim_template.last_seen_at IS 'Fetch time of the latest catalog snapshot containing the template (any version): an old value means the API stopped returning it (deleted or moved).';
COMMENT ON COLUMN mm.dim_template.run_id IS 'The run (etl.runs) that opened or closed this version.';
