-- Hand-written (drizzle-kit does not model partitioning); the snapshot is the schema this produces.
-- The six time-series tables become range-partitioned by "timestamp", one partition per UTC day, plus a default
-- partition so no insert ever fails. The primary key includes the partition column, as PostgreSQL requires.
-- homepot_ensure_day_partition creates one day's partition, moving that day's rows out of the default partition;
-- the maintenance task calls it for the days ahead, and retention drops whole day partitions.
CREATE FUNCTION homepot_ensure_day_partition(parent text, day date) RETURNS boolean LANGUAGE plpgsql AS $$
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
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
  EXECUTE format(
    'WITH moved AS (DELETE FROM %I WHERE "timestamp" >= $1 AND "timestamp" < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
    parent || '_default', part) USING lo, hi;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
  RETURN true;
END $$;--> statement-breakpoint
DO $$
DECLARE
  t text;
  d date;
BEGIN
  FOREACH t IN ARRAY ARRAY['device_metrics', 'health_checks', 'api_request_logs', 'user_activities',
                           'device_state_history', 'error_logs'] LOOP
    EXECUTE format('ALTER TABLE %I RENAME TO %I', t, t || '_unpartitioned');
    EXECUTE format(
      'CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT %I PRIMARY KEY ("id", "timestamp")) PARTITION BY RANGE ("timestamp")',
      t, t || '_unpartitioned', t || '_id_timestamp_pk');
    EXECUTE format('ALTER SEQUENCE %I OWNED BY %I."id"', t || '_id_seq', t);
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', t || '_default', t);
    -- Existing rows land in their day's partition, not in the default one.
    FOR d IN EXECUTE format('SELECT DISTINCT "timestamp"::date FROM %I', t || '_unpartitioned') LOOP
      PERFORM homepot_ensure_day_partition(t, d);
    END LOOP;
    EXECUTE format('INSERT INTO %I SELECT * FROM %I', t, t || '_unpartitioned');
    EXECUTE format('DROP TABLE %I', t || '_unpartitioned');
  END LOOP;
END $$;--> statement-breakpoint
ALTER TABLE "health_checks" ADD CONSTRAINT "health_checks_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "device_metrics_device_ts_idx" ON "device_metrics" USING btree ("device_id","timestamp");--> statement-breakpoint
CREATE INDEX "device_metrics_ts_idx" ON "device_metrics" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "health_checks_device_ts_idx" ON "health_checks" USING btree ("device_id","timestamp");--> statement-breakpoint
CREATE INDEX "health_checks_ts_idx" ON "health_checks" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "api_request_logs_ts_idx" ON "api_request_logs" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "api_request_logs_endpoint_ts_idx" ON "api_request_logs" USING btree ("endpoint","timestamp");--> statement-breakpoint
CREATE INDEX "api_request_logs_user_ts_idx" ON "api_request_logs" USING btree ("user_id","timestamp");--> statement-breakpoint
CREATE INDEX "api_request_logs_status_ts_idx" ON "api_request_logs" USING btree ("status_code","timestamp");--> statement-breakpoint
CREATE INDEX "user_activities_ts_idx" ON "user_activities" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "user_activities_user_ts_idx" ON "user_activities" USING btree ("user_id","timestamp");--> statement-breakpoint
CREATE INDEX "user_activities_type_ts_idx" ON "user_activities" USING btree ("activity_type","timestamp");--> statement-breakpoint
CREATE INDEX "device_state_history_device_ts_idx" ON "device_state_history" USING btree ("device_id","timestamp");--> statement-breakpoint
CREATE INDEX "device_state_history_ts_idx" ON "device_state_history" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "error_logs_ts_idx" ON "error_logs" USING btree ("timestamp");--> statement-breakpoint
CREATE INDEX "error_logs_category_ts_idx" ON "error_logs" USING btree ("category","timestamp");--> statement-breakpoint
CREATE INDEX "error_logs_severity_ts_idx" ON "error_logs" USING btree ("severity","timestamp");--> statement-breakpoint
CREATE INDEX "error_logs_device_ts_idx" ON "error_logs" USING btree ("device_id","timestamp");--> statement-breakpoint
CREATE INDEX "error_logs_resolved_ts_idx" ON "error_logs" USING btree ("resolved","timestamp");
