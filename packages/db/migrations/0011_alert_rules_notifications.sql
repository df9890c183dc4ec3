CREATE TABLE "alert_rules" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar(120) NOT NULL,
	"description" text,
	"enabled" boolean DEFAULT true NOT NULL,
	"builtin_key" varchar(50),
	"type" varchar(30) NOT NULL,
	"params" json NOT NULL,
	"scope" json NOT NULL,
	"severity" varchar(20) NOT NULL,
	"message_template" text,
	"created_by" varchar(255),
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_channels" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" varchar(120) NOT NULL,
	"type" varchar(20) NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"settings" json NOT NULL,
	"secret" text,
	"min_severity" varchar(20) DEFAULT 'warning' NOT NULL,
	"site_ids" text[] DEFAULT '{}'::text[] NOT NULL,
	"quiet_start" varchar(5),
	"quiet_end" varchar(5),
	"digest_minutes" integer DEFAULT 0 NOT NULL,
	"escalate_after_minutes" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 5 NOT NULL,
	"created_by" varchar(255),
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "notification_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"channel_id" integer NOT NULL,
	"alert_id" integer,
	"event" varchar(20) NOT NULL,
	"payload" json NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp DEFAULT now() NOT NULL,
	"last_error" text,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"sent_at" timestamp
);
--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "status" varchar(20) DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "source" varchar(20) DEFAULT 'anomaly' NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "rule_id" integer;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "message" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "acknowledged_at" timestamp;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "acknowledged_by" varchar(255);--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "resolution_note" text;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "flaps" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "alerts" ADD COLUMN "escalated_at" timestamp;--> statement-breakpoint
CREATE UNIQUE INDEX "alert_rules_builtin_uq" ON "alert_rules" USING btree ("builtin_key") WHERE builtin_key is not null;--> statement-breakpoint
CREATE INDEX "notification_deliveries_due_idx" ON "notification_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "notification_deliveries_channel_idx" ON "notification_deliveries" USING btree ("channel_id","created_at");--> statement-breakpoint
CREATE INDEX "alerts_status_idx" ON "alerts" USING btree ("status","last_seen_at");--> statement-breakpoint
CREATE INDEX "alerts_site_idx" ON "alerts" USING btree ("site_id","status");--> statement-breakpoint
UPDATE "alerts" SET "status" = 'resolved' WHERE "resolved";