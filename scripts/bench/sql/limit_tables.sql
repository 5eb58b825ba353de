-- The limit's scratch tables for one fact (variables: fact = the schema-qualified fact; copy, stage,
-- target = the scratch tables' qualified names): an empty keyed copy (LIKE … INCLUDING ALL:
-- unpartitioned, same keys and indexes), an UNLOGGED staging table, and an empty keyed merge target.
CREATE TABLE :copy (LIKE :fact INCLUDING ALL);
CREATE UNLOGGED TABLE :stage (LIKE :fact INCLUDING DEFAULTS);
CREATE TABLE :target (LIKE :fact INCLUDING ALL);
