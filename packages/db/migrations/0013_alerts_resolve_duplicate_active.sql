-- Before one active alert per fingerprint becomes a unique index: keep the newest active alert of each
-- condition and resolve the older duplicates (raised by two instances at once).
UPDATE "alerts" AS a
SET "resolved" = true, "status" = 'resolved', "resolved_at" = (now() at time zone 'utc'), "resolved_by" = 'system',
    "resolution_note" = 'Duplicate of a newer alert of the same condition'
WHERE a."resolved" = false
  AND EXISTS (
    SELECT 1 FROM "alerts" b
    WHERE b."fingerprint" = a."fingerprint" AND b."resolved" = false AND b."id" > a."id"
  );
