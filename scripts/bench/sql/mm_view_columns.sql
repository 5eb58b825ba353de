-- Every view of the mm schema with its columns: one line `view|col,col,…` per view.
SELECT c.relname, string_agg(a.attname, ',') FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'mm'
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relkind = 'v' GROUP BY c.relname ORDER BY 1;
