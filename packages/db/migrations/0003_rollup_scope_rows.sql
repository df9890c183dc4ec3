-- Site and fleet totals used to live in device_id as 'site:<site_id>' and '*': give them their scope.
UPDATE "device_metric_rollups" SET "scope" = 'site', "device_id" = NULL WHERE "device_id" LIKE 'site:%';--> statement-breakpoint
UPDATE "device_metric_rollups" SET "scope" = 'fleet', "device_id" = NULL, "site_id" = NULL WHERE "device_id" = '*';
