-- etl.schema_migrations is created by the migration runner itself (it must exist before any
-- migration is recorded); document it here.
COMMENT ON TABLE etl.schema_migrations IS 'Migrations applied by mmetl migrate: one row per sql/migrations file, with the checksum it had when applied (an edited file is refused).';
COMMENT ON COLUMN etl.schema_migrations.version IS 'The NNNN number of the file.';
COMMENT ON COLUMN etl.schema_migrations.name IS 'The file name between the number and .sql.';
COMMENT ON COLUMN etl.schema_migrations.checksum IS 'Hex sha256 of the file''s bytes when applied.';
COMMENT ON COLUMN etl.schema_migrations.applied_at IS 'When it was applied.';
COMMENT ON COLUMN etl.schema_migrations.duration_ms IS 'How long it took to apply, in milliseconds.';
