DROP INDEX "device_metric_rollups_pk";--> statement-breakpoint
ALTER TABLE "device_metric_rollups" ALTER COLUMN "device_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "device_metric_rollups" ADD COLUMN "scope" varchar(8) DEFAULT 'device' NOT NULL;--> statement-breakpoint
CREATE UNIQUE INDEX "device_metric_rollups_device_uq" ON "device_metric_rollups" USING btree ("bucket","device_id","bucket_start") WHERE scope = 'device';--> statement-breakpoint
CREATE UNIQUE INDEX "device_metric_rollups_site_uq" ON "device_metric_rollups" USING btree ("bucket","site_id","bucket_start") WHERE scope = 'site';--> statement-breakpoint
CREATE UNIQUE INDEX "device_metric_rollups_fleet_uq" ON "device_metric_rollups" USING btree ("bucket","bucket_start") WHERE scope = 'fleet';--> statement-breakpoint
ALTER TABLE "device_metric_rollups" ADD CONSTRAINT "device_metric_rollups_scope_ck" CHECK (scope in ('device', 'site', 'fleet') and (scope = 'device') = (device_id is not null)
        and (scope <> 'site' or site_id is not null) and (scope <> 'fleet' or site_id is null));