-- Archive first, normalize after: every page's manifest row is written as soon as its file is
-- durable, outside the load transaction, and belongs to the fetch of one slice. A fetch is complete
-- when its last page is archived; replay uses the latest complete fetch of each window.
CREATE TABLE etl.fetches (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id       bigint NOT NULL,
    dataset      text NOT NULL,
    waba_id      text NOT NULL,
    window_start date NOT NULL,
    window_end   date NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    completed_at timestamptz,
    pages        int
);
CREATE INDEX fetches_window_idx ON etl.fetches (dataset, waba_id, window_start);
CREATE INDEX fetches_run_idx ON etl.fetches (run_id);

COMMENT ON TABLE etl.fetches IS 'One fetch of one slice''s pages by one run; complete once its last page is archived. Replay uses the latest complete fetch of each (dataset, WABA, window).';
COMMENT ON COLUMN etl.fetches.id IS 'Fetch identifier (also in each page''s sidecar as request.fetchID).';
COMMENT ON COLUMN etl.fetches.run_id IS 'The run (etl.runs) that fetched.';
COMMENT ON COLUMN etl.fetches.dataset IS 'Dataset: pricing, templates or catalog.';
COMMENT ON COLUMN etl.fetches.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN etl.fetches.window_start IS 'First WABA-local day of the slice''s window.';
COMMENT ON COLUMN etl.fetches.window_end IS 'Last WABA-local day of the slice''s window.';
COMMENT ON COLUMN etl.fetches.started_at IS 'When the fetch began.';
COMMENT ON COLUMN etl.fetches.completed_at IS 'When its last page was archived; NULL: incomplete (the run was killed or a request failed), never replayed.';
COMMENT ON COLUMN etl.fetches.pages IS 'Pages archived by the complete fetch.';

ALTER TABLE etl.raw_pages
    ADD COLUMN fetch_id bigint REFERENCES etl.fetches (id),
    ADD COLUMN superseded boolean NOT NULL DEFAULT false;
CREATE INDEX raw_pages_fetch_idx ON etl.raw_pages (fetch_id);
COMMENT ON COLUMN etl.raw_pages.fetch_id IS 'The slice fetch (etl.fetches) the page belongs to; NULL for discovery and WABA pages and for rows written before fetches were recorded.';
COMMENT ON COLUMN etl.raw_pages.superseded IS 'True for pages of a request that failed part-way and was retried in another form (split window, alternative product type): never loaded.';
-- Two comments of 0005 described the code wrongly.
COMMENT ON COLUMN etl.raw_pages.page IS 'Page number within its request, from 0 (WABA pages: 0 fields, 1 phone numbers, 2… business profiles).';
COMMENT ON COLUMN etl.raw_pages.sha256 IS 'Hex sha256 of the stored gzip file (sha256sum prints the same); replay and archive verify check it.';
