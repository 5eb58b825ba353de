-- Seed of mm.dim_error_code: the Graph API and WhatsApp error codes of
-- shared/reference/graph-api-analytics.md §5 (error envelope, rate-limit codes, send/delivery
-- codes relevant to marketing), each marked retryable or not.
--
-- "Retryable" means the same request can succeed later unchanged: rate limits and transient server
-- errors. 131049 is not: Meta asks to wait at least 24 h for the same user, and for US users it is
-- permanent. Codes that need a changed request, template, account or recipient are not retryable.
INSERT INTO mm.dim_error_code (code, title, meaning, category, retryable, source) VALUES
    (1, 'API unknown', 'Unknown Graph API error, possibly temporary; retry with backoff.', 'graph', true, 'Graph API error codes'),
    (2, 'API service', 'Temporary Graph API service error (HTTP 500, is_transient=true); retry with backoff.', 'graph', true, 'Graph API error codes; WhatsApp OpenAPI example'),
    (4, 'Application request limit reached', 'App-level request limit (X-App-Usage at 100%); wait, then retry.', 'rate_limit', true, 'Graph API rate limiting'),
    (17, 'User request limit reached', 'User-level request limit; wait, then retry.', 'rate_limit', true, 'Graph API rate limiting'),
    (32, 'Page request limit reached', 'Page-level request limit; wait, then retry.', 'rate_limit', true, 'Graph API rate limiting'),
    (100, 'Invalid parameter', 'A parameter is invalid or unsupported (for analytics windows: try a shorter window). Retrying unchanged fails again.', 'graph', false, 'Graph API error codes'),
    (190, 'Access token expired or invalid', 'The access token is invalid, expired or revoked; replace the token.', 'auth', false, 'Graph API error codes'),
    (200, 'Permission error', 'The token lacks a permission (whatsapp_business_management); grant it.', 'auth', false, 'Graph API error codes'),
    (341, 'Application limit reached', 'Temporary application limit; wait, then retry.', 'rate_limit', true, 'Graph API rate limiting'),
    (368, 'Temporarily blocked for policy violations', 'The account is temporarily blocked for policy violations; fix the cause and wait for the block to end.', 'policy', false, 'WhatsApp Cloud API error codes'),
    (463, 'Session has expired', 'The access token''s session expired; obtain a new token.', 'auth', false, 'Graph API error codes'),
    (613, 'Calls exceeded the rate limit', 'A custom rate limit was exceeded; wait, then retry.', 'rate_limit', true, 'Graph API rate limiting'),
    (80007, 'WABA rate limit reached', 'The WhatsApp Business Account reached its business-use-case rate limit; wait estimated_time_to_regain_access minutes (X-Business-Use-Case-Usage), then retry.', 'rate_limit', true, 'WhatsApp Cloud API error codes'),
    (80008, 'WABA throttling', 'WhatsApp business-use-case throttling (third-party sources only); wait, then retry.', 'rate_limit', true, 'third-party reports (unverified)'),
    (130429, 'Throughput reached', 'Cloud API message throughput for the phone number reached; send more slowly and retry.', 'rate_limit', true, 'WhatsApp Cloud API error codes'),
    (130472, 'User in experiment', 'The user is in a marketing-message experiment (holdout) group; the message was not delivered by design.', 'policy', false, 'WhatsApp Cloud API error codes'),
    (130497, 'Business account restricted in country', 'The WABA is restricted from messaging users in that country.', 'account', false, 'WhatsApp Cloud API error codes'),
    (131026, 'Message undeliverable', 'Not a WhatsApp number, an old client, or terms of service not accepted by the recipient.', 'delivery', false, 'WhatsApp Cloud API error codes'),
    (131031, 'Account locked', 'The business account is locked or restricted for a policy violation, or data (e.g. a 2FA pin) mismatches.', 'account', false, 'WhatsApp Cloud API error codes'),
    (131037, 'Display name not approved', 'A 555 number''s display name is not approved yet.', 'account', false, 'WhatsApp Cloud API error codes'),
    (131042, 'Business payment issue', 'A payment problem on the business account (payment method, credit line); fix billing.', 'account', false, 'WhatsApp Cloud API error codes'),
    (131047, 'Re-engagement message', 'More than 24 hours since the user last replied: only a template can be sent.', 'delivery', false, 'WhatsApp Cloud API error codes'),
    (131048, 'Spam rate limit hit', 'Too many previous messages from the number were blocked or flagged; send less, later.', 'rate_limit', true, 'WhatsApp Cloud API error codes'),
    (131049, 'Not delivered to maintain ecosystem engagement', 'Per-user marketing limit: not delivered "to maintain healthy ecosystem engagement"; do not retry within 24 h. Every marketing message to a US user fails with it since 2025-04-01 (see mm.dim_country.us_marketing_block).', 'policy', false, 'WhatsApp Cloud API error codes; MM API geographic availability'),
    (131050, 'User stopped marketing messages', 'The user stopped marketing messages from this business.', 'delivery', false, 'WhatsApp Cloud API error codes'),
    (131056, 'Pair rate limit hit', 'Too many messages from the same sender to the same recipient in a short time; wait, then retry.', 'rate_limit', true, 'WhatsApp Cloud API error codes'),
    (131062, 'BSUID recipient not supported', 'The recipient is a business-scoped user id, which this send does not support.', 'delivery', false, 'WhatsApp Cloud API error codes'),
    (131063, 'Marketing disabled on Cloud API', 'Marketing templates are disabled on Cloud API for this business (disable_marketing_messages_on_cloud_api): send through the MM API.', 'account', false, 'WhatsApp Cloud API error codes'),
    (131064, 'Messaging limit reached (template violations)', 'Messaging limit reached because of template-classification violations; fix the templates.', 'policy', false, 'WhatsApp Cloud API error codes'),
    (132015, 'Template paused', 'The template is paused for low quality; messages held during pacing may be dropped with this code.', 'template', false, 'WhatsApp Cloud API error codes'),
    (132016, 'Template disabled', 'The template is disabled (repeatedly paused for low quality).', 'template', false, 'WhatsApp Cloud API error codes'),
    (133016, 'Registration rate limit', 'Too many registration or deregistration attempts for the phone number; wait, then retry.', 'rate_limit', true, 'WhatsApp Cloud API error codes'),
    (137000, 'Identity key hash mismatch', 'The recipient''s identity key changed (hash mismatch); confirm the identity before sending.', 'delivery', false, 'WhatsApp Cloud API error codes');
