-- Every column of a table (variable: fact) in order, with whether its primary key holds it:
-- one line `name|1` or `name|0` per column.
SELECT a.attname, (a.attnum = ANY (i.indkey))::int
FROM pg_attribute a JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
WHERE a.attrelid = :'fact'::regclass AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum;
