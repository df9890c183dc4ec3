-- Per-device time series keyed by their device (docs/scaling.md, "Ready for a distributed PostgreSQL"): the primary
-- keys of device_metrics, health_checks and device_state_history become (device_id, timestamp, id), as Citus needs
-- the distribution column in every unique key. The new key serves the per-device queries, so each table's separate
-- (device_id, timestamp) index goes; a plain index on id keeps the readers in id order (rollup watermark, exports)
-- on an index. On a populated database ADD PRIMARY KEY builds the key's index on every partition.
DROP INDEX "device_metrics_device_ts_idx";--> statement-breakpoint
DROP INDEX "device_state_history_device_ts_idx";--> statement-breakpoint
DROP INDEX "health_checks_device_ts_idx";--> statement-breakpoint
ALTER TABLE "device_metrics" DROP CONSTRAINT "device_metrics_id_timestamp_pk";--> statement-breakpoint
ALTER TABLE "device_state_history" DROP CONSTRAINT "device_state_history_id_timestamp_pk";--> statement-breakpoint
ALTER TABLE "health_checks" DROP CONSTRAINT "health_checks_id_timestamp_pk";--> statement-breakpoint
ALTER TABLE "device_metrics" ADD CONSTRAINT "device_metrics_device_id_timestamp_id_pk" PRIMARY KEY("device_id","timestamp","id");--> statement-breakpoint
ALTER TABLE "device_state_history" ADD CONSTRAINT "device_state_history_device_id_timestamp_id_pk" PRIMARY KEY("device_id","timestamp","id");--> statement-breakpoint
ALTER TABLE "health_checks" ADD CONSTRAINT "health_checks_device_id_timestamp_id_pk" PRIMARY KEY("device_id","timestamp","id");--> statement-breakpoint
CREATE INDEX "device_metrics_id_idx" ON "device_metrics" USING btree ("id");--> statement-breakpoint
CREATE INDEX "device_state_history_id_idx" ON "device_state_history" USING btree ("id");--> statement-breakpoint
CREATE INDEX "health_checks_id_idx" ON "health_checks" USING btree ("id");