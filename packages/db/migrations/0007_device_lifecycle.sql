CREATE TABLE "device_lifecycle_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"timestamp" timestamp DEFAULT now() NOT NULL,
	"device_id" varchar(100) NOT NULL,
	"action" varchar(20) NOT NULL,
	"from_state" varchar(20) NOT NULL,
	"to_state" varchar(20) NOT NULL,
	"site_id" varchar(50) NOT NULL,
	"epoch_id" varchar(36),
	"reason" text,
	"changed_by" varchar(255) NOT NULL,
	"idempotency_key" varchar(100),
	"extra_data" json
);
--> statement-breakpoint
ALTER TABLE "configuration_history" ADD COLUMN "provenance" varchar(12) DEFAULT 'real' NOT NULL;--> statement-breakpoint
ALTER TABLE "device_metrics" ADD COLUMN "provenance" varchar(12) DEFAULT 'real' NOT NULL;--> statement-breakpoint
ALTER TABLE "device_metrics" ADD COLUMN "collection_interval_s" integer;--> statement-breakpoint
ALTER TABLE "device_state_history" ADD COLUMN "provenance" varchar(12) DEFAULT 'real' NOT NULL;--> statement-breakpoint
ALTER TABLE "error_logs" ADD COLUMN "provenance" varchar(12) DEFAULT 'real' NOT NULL;--> statement-breakpoint
ALTER TABLE "job_outcomes" ADD COLUMN "provenance" varchar(12) DEFAULT 'real' NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "health_state" varchar(20) DEFAULT 'healthy' NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "lifecycle_state" varchar(20) DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "archived_at" timestamp;--> statement-breakpoint
CREATE INDEX "device_lifecycle_events_device_ts_idx" ON "device_lifecycle_events" USING btree ("device_id","timestamp");--> statement-breakpoint
CREATE UNIQUE INDEX "device_lifecycle_events_idempotency_uq" ON "device_lifecycle_events" USING btree ("device_id","action","idempotency_key") WHERE "device_lifecycle_events"."idempotency_key" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "device_epochs_open_uq" ON "device_epochs" USING btree ("device_id") WHERE "device_epochs"."ended_at" is null;--> statement-breakpoint
-- Backfill: health from the old status, provenance of simulated devices' rows.
UPDATE "devices" SET "health_state" = CASE "status" WHEN 'error' THEN 'error' WHEN 'maintenance' THEN 'maintenance' ELSE 'healthy' END;--> statement-breakpoint
UPDATE "device_metrics" SET "provenance" = 'simulated' WHERE "device_id" IN (SELECT "device_id" FROM "devices" WHERE "is_simulated");--> statement-breakpoint
UPDATE "device_state_history" SET "provenance" = 'simulated' WHERE "device_id" IN (SELECT "device_id" FROM "devices" WHERE "is_simulated");--> statement-breakpoint
UPDATE "job_outcomes" SET "provenance" = 'simulated' WHERE "device_id" IN (SELECT "device_id" FROM "devices" WHERE "is_simulated");--> statement-breakpoint
UPDATE "error_logs" SET "provenance" = 'simulated' WHERE "device_id" IN (SELECT "device_id" FROM "devices" WHERE "is_simulated");--> statement-breakpoint
UPDATE "configuration_history" SET "provenance" = 'simulated' WHERE "entity_type" = 'device' AND "entity_id" IN (SELECT "device_id" FROM "devices" WHERE "is_simulated");
