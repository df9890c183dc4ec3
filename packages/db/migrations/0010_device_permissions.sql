CREATE TABLE "device_permissions" (
	"id" serial PRIMARY KEY NOT NULL,
	"device_id" varchar(100) NOT NULL,
	"root_access" boolean DEFAULT false NOT NULL,
	"command_execution" boolean DEFAULT false NOT NULL,
	"process_monitoring" boolean DEFAULT false NOT NULL,
	"filesystem_access" boolean DEFAULT false NOT NULL,
	"network_monitoring" boolean DEFAULT false NOT NULL,
	"updated_via" varchar(20) DEFAULT 'device' NOT NULL,
	"updated_by" varchar(100),
	"updated_at" timestamp DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "device_permissions_device_uq" ON "device_permissions" USING btree ("device_id");