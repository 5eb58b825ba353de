-- A message id (wamid) and a status label are opaque identifiers: the send-log keys compare them
-- byte by byte (the "C" collation, as waba_id already is) instead of by the database's locale
-- rules. Equality is unchanged; the order of non-ASCII text could differ, and wamids are ASCII.
-- The load inserts a file's messages and statuses in key order; with locale-free comparisons the
-- key indexes (sendlog.messages (waba_id, wamid) and (wamid), sendlog.statuses (waba_id, wamid,
-- status, status_at)) are maintained about a quarter faster. No view depends on these columns;
-- the indexes are rebuilt here, the tables are not rewritten.
ALTER TABLE sendlog.messages ALTER COLUMN wamid TYPE text COLLATE "C";
ALTER TABLE sendlog.statuses
    ALTER COLUMN wamid TYPE text COLLATE "C",
    ALTER COLUMN status TYPE text COLLATE "C";
