-- Optional: distribute the warehouse over a Citus cluster (run once, on the coordinator, as a
-- superuser, after `mmetl migrate` and before the first load; `mmetl` never runs this file).
--
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -f sql/citus/distribute.sql
--
-- The rule it follows (checked on the migrated schema by the tests, which cannot run Citus):
-- * facts and dimensions keyed by WABA are distributed by `waba_id` (NOT NULL, in every primary
--   and unique key), co-located, so a WABA's rows live on one node and per-WABA joins stay local;
-- * small shared dimensions (countries, calling codes, error codes, currencies) are reference
--   tables, copied whole to every node;
-- * the run ledger (`etl`) and `staging` stay on the coordinator;
-- * the send log (`sendlog.messages`, `sendlog.statuses`) and its facts (`mm.fact_sends_daily`,
--   `mm.fact_errors`) are distributed like the facts: a message's WABA is resolved when its line is
--   staged and never changes; records whose WABA is not known yet wait in `etl.sendlog_pending` on
--   the coordinator. Resolving a status by its wamid alone (`sendlog.messages (wamid)` index)
--   queries every shard; everything else a load does is per WABA.
-- Month partitions the loader creates later (`CREATE TABLE … PARTITION OF`) inherit the parent's
-- distribution. Co-location needs equal collations: the fact tables' `waba_id` is COLLATE "C",
-- the dimensions' the database default, hence two co-location groups.

CREATE EXTENSION IF NOT EXISTS citus;

BEGIN;

-- Reference tables (every node holds a full copy).
SELECT create_reference_table('mm.dim_country');
SELECT create_reference_table('mm.dim_calling_code');
SELECT create_reference_table('mm.dim_error_code');
SELECT create_reference_table('mm.dim_currency');

-- Dimensions and per-WABA tables (waba_id in the database's default collation).
SELECT create_distributed_table('mm.dim_waba', 'waba_id');
SELECT create_distributed_table('mm.dim_phone_number', 'waba_id', colocate_with => 'mm.dim_waba');
SELECT create_distributed_table('mm.dim_template_version', 'waba_id', colocate_with => 'mm.dim_waba');
SELECT create_distributed_table('mm.dim_template_seen', 'waba_id', colocate_with => 'mm.dim_waba');
SELECT create_distributed_table('mm.pricing_day_grain', 'waba_id', colocate_with => 'mm.dim_waba');
SELECT create_distributed_table('mm.fact_benchmarks', 'waba_id', colocate_with => 'mm.dim_waba');

-- Facts (waba_id COLLATE "C"; partitioned by month, the partitions follow).
SELECT create_distributed_table('mm.fact_template_daily', 'waba_id');
SELECT create_distributed_table('mm.fact_pricing', 'waba_id', colocate_with => 'mm.fact_template_daily');
SELECT create_distributed_table('mm.fact_template_clicks', 'waba_id', colocate_with => 'mm.fact_template_daily');
SELECT create_distributed_table('mm.fact_conversions', 'waba_id', colocate_with => 'mm.fact_template_daily');
SELECT create_distributed_table('mm.fact_template_performance_daily', 'waba_id', colocate_with => 'mm.fact_template_daily');

-- The send log and its facts (waba_id COLLATE "C" too), with the facts.
SELECT create_distributed_table('sendlog.messages', 'waba_id', colocate_with => 'mm.fact_template_daily');
SELECT create_distributed_table('sendlog.statuses', 'waba_id', colocate_with => 'mm.fact_template_daily');
SELECT create_distributed_table('mm.fact_sends_daily', 'waba_id', colocate_with => 'mm.fact_template_daily');
SELECT create_distributed_table('mm.fact_errors', 'waba_id', colocate_with => 'mm.fact_template_daily');

COMMIT;
