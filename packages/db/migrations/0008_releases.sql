CREATE TABLE "release_downloads" (
	"id" serial PRIMARY KEY NOT NULL,
	"release_id" varchar(40) NOT NULL,
	"device_id" varchar(100) NOT NULL,
	"job_id" varchar(100),
	"bytes_served" bigint DEFAULT 0 NOT NULL,
	"high_water" bigint DEFAULT 0 NOT NULL,
	"requests" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "release_uploads" (
	"id" serial PRIMARY KEY NOT NULL,
	"upload_id" varchar(64) NOT NULL,
	"size_bytes" bigint NOT NULL,
	"received_bytes" bigint DEFAULT 0 NOT NULL,
	"metadata" text NOT NULL,
	"status" varchar(20) DEFAULT 'open' NOT NULL,
	"release_id" varchar(40),
	"created_by" integer,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	"expires_at" timestamp NOT NULL
);
--> statement-breakpoint
CREATE TABLE "releases" (
	"id" serial PRIMARY KEY NOT NULL,
	"release_id" varchar(40) NOT NULL,
	"name" varchar(100) NOT NULL,
	"version" varchar(50) NOT NULL,
	"release_type" varchar(20) NOT NULL,
	"sha256" varchar(64) NOT NULL,
	"size_bytes" bigint NOT NULL,
	"filename" varchar(255),
	"signature" text NOT NULL,
	"signing_key" text NOT NULL,
	"signed_by" varchar(20) NOT NULL,
	"device_types" text[] DEFAULT '{}'::text[] NOT NULL,
	"os_families" text[] DEFAULT '{}'::text[] NOT NULL,
	"min_current_version" varchar(50),
	"notes" text,
	"status" varchar(20) DEFAULT 'active' NOT NULL,
	"created_by" integer,
	"created_at" timestamp DEFAULT now() NOT NULL,
	"updated_at" timestamp DEFAULT now() NOT NULL,
	"deprecated_at" timestamp
);
--> statement-breakpoint
ALTER TABLE "devices" ADD COLUMN "software_version" varchar(50);--> statement-breakpoint
ALTER TABLE "jobs" ADD COLUMN "release_id" varchar(40);--> statement-breakpoint
ALTER TABLE "release_uploads" ADD CONSTRAINT "release_uploads_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "releases" ADD CONSTRAINT "releases_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "release_downloads_release_device_uq" ON "release_downloads" USING btree ("release_id","device_id");--> statement-breakpoint
CREATE INDEX "release_downloads_job_idx" ON "release_downloads" USING btree ("job_id");--> statement-breakpoint
CREATE UNIQUE INDEX "release_uploads_upload_id_uq" ON "release_uploads" USING btree ("upload_id");--> statement-breakpoint
CREATE INDEX "release_uploads_status_idx" ON "release_uploads" USING btree ("status");--> statement-breakpoint
CREATE UNIQUE INDEX "releases_release_id_uq" ON "releases" USING btree ("release_id");--> statement-breakpoint
CREATE UNIQUE INDEX "releases_type_name_version_uq" ON "releases" USING btree ("release_type","name","version");--> statement-breakpoint
CREATE INDEX "releases_sha256_idx" ON "releases" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "releases_created_idx" ON "releases" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "devices_firmware_idx" ON "devices" USING btree ("firmware_version");--> statement-breakpoint
CREATE INDEX "devices_software_idx" ON "devices" USING btree ("software_version");--> statement-breakpoint
CREATE INDEX "jobs_release_idx" ON "jobs" USING btree ("release_id");