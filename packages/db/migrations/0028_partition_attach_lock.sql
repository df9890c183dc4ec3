-- Hand-written. homepot_ensure_day_partition (0018) moved a day's rows out of the default partition and then attached
-- the new partition while telemetry kept arriving: a row of that day inserted in between landed in the default
-- partition and failed the ATTACH, and an insert routed to the default partition while the ATTACH ran failed with
-- "violates partition constraint" (a 500 on ingest). Now the function blocks writes to the parent for the moment it
-- creates a partition (SHARE ROW EXCLUSIVE: reads go on; an insert waits, then is routed with the new partition).
-- The usual call, for a partition that exists, still takes no table lock.
CREATE OR REPLACE FUNCTION homepot_ensure_day_partition(parent text, day date) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  part text := parent || '_p' || to_char(day, 'YYYYMMDD');
  lo timestamp := day;
  hi timestamp := day + 1;
BEGIN
  -- Two servers creating the same partition at once: the second waits, then finds it.
  PERFORM pg_advisory_xact_lock(hashtext(part));
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN false;
  END IF;
  EXECUTE format('LOCK TABLE %I IN SHARE ROW EXCLUSIVE MODE', parent);
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
  EXECUTE format(
    'WITH moved AS (DELETE FROM %I WHERE "timestamp" >= $1 AND "timestamp" < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
    parent || '_default', part) USING lo, hi;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
  RETURN true;
END $$;
