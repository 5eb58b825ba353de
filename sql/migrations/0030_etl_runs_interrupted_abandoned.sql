-- A run stopped by SIGTERM/SIGINT ends 'interrupted'; a run whose process died without finishing
-- (SIGKILL, crash, lost database session) is marked 'abandoned' by the next run that finds it.
ALTER TABLE etl.runs DROP CONSTRAINT runs_status_check;
ALTER TABLE etl.runs ADD CONSTRAINT runs_status_check
    CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'interrupted', 'abandoned'));
COMMENT ON COLUMN etl.runs.status IS
    'running, succeeded, partial (some WABAs/datasets failed, the rest loaded), failed, interrupted (stopped by SIGTERM/SIGINT: whole slices kept, exit 75) or abandoned (the process ended without finishing: found by a later run whose liveness check showed no process holds the run).';
