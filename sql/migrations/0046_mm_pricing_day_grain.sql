-- The pricing grain to read for each WABA, granularity and day: the dimension set written last.
-- Kept by a statement trigger on mm.fact_pricing (in the load's own transaction), so the views
-- join a small table instead of grouping the facts: a date filter still prunes fact partitions.
CREATE TABLE mm.pricing_day_grain (
    waba_id     text NOT NULL,
    granularity text NOT NULL,
    day         date NOT NULL,
    dimensions  text NOT NULL,
    PRIMARY KEY (waba_id, granularity, day)
);
COMMENT ON TABLE mm.pricing_day_grain IS 'Per WABA, granularity and WABA-local day, the pricing grain (dimensions) written last; mm.v_pricing and the pricing views read only that grain, so a change of datasets.pricing.dimensions never double counts. Maintained by a trigger on mm.fact_pricing.';
COMMENT ON COLUMN mm.pricing_day_grain.waba_id IS 'WhatsApp Business Account id.';
COMMENT ON COLUMN mm.pricing_day_grain.granularity IS 'DAILY, MONTHLY or HALF_HOUR.';
COMMENT ON COLUMN mm.pricing_day_grain.day IS 'WABA-local day.';
COMMENT ON COLUMN mm.pricing_day_grain.dimensions IS 'The grain read for that day (as mm.fact_pricing.dimensions).';

INSERT INTO mm.pricing_day_grain (waba_id, granularity, day, dimensions)
SELECT DISTINCT ON (waba_id, granularity, day) waba_id, granularity, day, dimensions
FROM (SELECT waba_id, granularity, day, dimensions, max(run_id) AS loaded_by, max(last_fetched_at) AS loaded_at
      FROM mm.fact_pricing GROUP BY waba_id, granularity, day, dimensions) g
ORDER BY waba_id, granularity, day, loaded_by DESC, loaded_at DESC, dimensions;

CREATE FUNCTION mm.track_pricing_day_grain() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO mm.pricing_day_grain (waba_id, granularity, day, dimensions)
    SELECT DISTINCT ON (waba_id, granularity, day) waba_id, granularity, day, dimensions
    FROM written
    ORDER BY waba_id, granularity, day, dimensions
    ON CONFLICT (waba_id, granularity, day) DO UPDATE SET dimensions = EXCLUDED.dimensions
        WHERE mm.pricing_day_grain.dimensions IS DISTINCT FROM EXCLUDED.dimensions;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION mm.track_pricing_day_grain() IS 'Statement trigger of mm.fact_pricing: the days just written take the grain they were written at.';

CREATE TRIGGER fact_pricing_grain_insert AFTER INSERT ON mm.fact_pricing
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION mm.track_pricing_day_grain();
CREATE TRIGGER fact_pricing_grain_update AFTER UPDATE ON mm.fact_pricing
    REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION mm.track_pricing_day_grain();
GRANT SELECT ON mm.pricing_day_grain TO mmetl_analyst;
GRANT SELECT, INSERT, UPDATE, DELETE ON mm.pricing_day_grain TO mmetl_loader;
