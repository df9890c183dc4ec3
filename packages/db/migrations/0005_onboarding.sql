CREATE TABLE "device_epochs" (
	"id" varchar(36) PRIMARY KEY NOT NULL,
	"device_id" integer NOT NULL,
	"site_id" varchar(50) NOT NULL,
	"started_at" timestamp DEFAULT now() NOT NULL,
	"ended_at" timestamp,
	"reason" text
);
--> statement-breakpoint
CREATE TABLE "enrolment_intents" (
	"id" serial PRIMARY KEY NOT NULL,
	"intent_id" varchar(36) NOT NULL,
	"site_id" varchar(50) NOT NULL,
	"device_name" varchar(100),
	"device_type" varchar(50) DEFAULT 'pos_terminal' NOT NULL,
	"enrolment_method" varchar(30) DEFAULT 'pre-provisioned' NOT NULL,
	"expected_device_identity" varchar(200),
	"claim_token_hash" varchar(64) NOT NULL,
	"claim_token_prefix" varchar(24) NOT NULL,
	"status" varchar(20) DEFAULT 'approved' NOT NULL,
	"requires_approval" boolean DEFAULT false NOT NULL,
	"status_reason" text,
	"expires_at" timestamp NOT NULL,
	"consumed_at" timestamp,
	"device_id" varchar(100),
	"failed_claims" integer DEFAULT 0 NOT NULL,
	"created_by" integer,
	"idempotency_key" varchar(100),
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "lifecycle_state" varchar(20) DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "enrolment_method" varchar(20) DEFAULT 'manual' NOT NULL;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "machine_id" varchar(200);--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "mac_address" varchar(17);--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "local_ip" varchar(45);--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "wan_ip" varchar(45);--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "os_family" varchar(20);--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "os_version" varchar(100);--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "os_details" varchar(200);--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "hardware_vendor" varchar(100);--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "hardware_model" varchar(100);--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "agent_version" varchar(50);--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "hardware" json;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "peripherals" json;--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "dna_updated_at" timestamp;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "bootstrap_key_hash" varchar(64);--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "bootstrap_key_prefix" varchar(24);--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "bootstrap_key_created_at" timestamp;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "bootstrap_key_expires_at" timestamp;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "bootstrap_key_max_uses" integer;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "bootstrap_key_uses" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "require_device_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "device_epochs" ADD CONSTRAINT "device_epochs_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrolment_intents" ADD CONSTRAINT "enrolment_intents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "device_epochs_device_started_idx" ON "device_epochs" USING btree ("device_id","started_at");--> statement-breakpoint
CREATE UNIQUE INDEX "enrolment_intents_intent_id_uq" ON "enrolment_intents" USING btree ("intent_id");--> statement-breakpoint
CREATE UNIQUE INDEX "enrolment_intents_idempotency_uq" ON "enrolment_intents" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "enrolment_intents_site_created_idx" ON "enrolment_intents" USING btree ("site_id","created_at");--> statement-breakpoint
CREATE INDEX "enrolment_intents_status_expires_idx" ON "enrolment_intents" USING btree ("status","expires_at");--> statement-breakpoint
-- Hand-added: rename devices whose name repeats (case-insensitively) at their site, so the unique index can be built.
UPDATE "devices" AS d SET "name" = left(d."name", 60) || ' (' || left(d."device_id", 36) || ')' FROM (SELECT "id", row_number() OVER (PARTITION BY "site_id", lower("name") ORDER BY "id") AS rn FROM "devices" WHERE "is_active") AS dup WHERE d."id" = dup."id" AND dup.rn > 1;--> statement-breakpoint
-- Hand-added: every existing device gets its first, open epoch at the site it belongs to.
INSERT INTO "device_epochs" ("id", "device_id", "site_id", "started_at", "reason") SELECT gen_random_uuid()::text, "id", "site_id", "created_at", 'registered' FROM "devices";--> statement-breakpoint
CREATE UNIQUE INDEX "devices_site_name_uq" ON "devices" USING btree ("site_id",lower("name")) WHERE "devices"."is_active";--> statement-breakpoint
CREATE INDEX "devices_lifecycle_idx" ON "devices" USING btree ("lifecycle_state");--> statement-breakpoint
CREATE INDEX "devices_os_family_idx" ON "devices" USING btree ("os_family");