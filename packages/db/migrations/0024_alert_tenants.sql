ALTER TABLE "alert_rules" ADD COLUMN "tenant_id" integer;--> statement-breakpoint
ALTER TABLE "notification_channels" ADD COLUMN "tenant_id" integer;--> statement-breakpoint
ALTER TABLE "notification_channels" ADD COLUMN "timezone" varchar(64);--> statement-breakpoint
ALTER TABLE "alert_rules" ADD CONSTRAINT "alert_rules_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notification_channels" ADD CONSTRAINT "notification_channels_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_rules_tenant_idx" ON "alert_rules" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "notification_channels_tenant_idx" ON "notification_channels" USING btree ("tenant_id");--> statement-breakpoint
UPDATE "notification_channels" SET "timezone" = "quiet_timezone" WHERE "quiet_timezone" IS NOT NULL;